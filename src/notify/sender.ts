/**
 * Sends one NOTIFY as an RFC 3261 non-INVITE client transaction (§17.1.2): over UDP the request
 * is retransmitted at T1, 2*T1... capped at T2, every T2 once a provisional answer came
 * (Proceeding); over TCP/TLS it is sent once (§17.1.2.2: Timer E only for unreliable transports).
 * Either way the transaction gives up at Timer F = 64*T1. A 401/407 challenge is answered once
 * with the line's credentials (§22.2), as a new transaction with CSeq+1 in the same call.
 */
import { openChannel, type Channel, type SipTransport } from './transport.js';
import { answerChallenge, parseChallenge } from './digest.js';
import { buildNotify, flavour, parseResponse, requestUri, token, type NotifyTarget, type SipResponse } from './message.js';

export interface NotifyRequest {
  readonly target: NotifyTarget;
  /** UDP unless the line registers over TCP or TLS. */
  readonly transport?: SipTransport;
  /** The vendor's event string (VendorModule.notify.resync or .reboot). */
  readonly event: string;
  readonly reboot: boolean;
  /** The line's digest credentials, used only when the phone challenges. */
  readonly credentials?: { readonly user: string; readonly password: string };
}

export type NotifyResult =
  | { readonly kind: 'answered'; readonly code: number; readonly reason: string; readonly authenticated: boolean; readonly attempts: number }
  | { readonly kind: 'timeout'; readonly attempts: number }
  | { readonly kind: 'error'; readonly message: string };

/** What resync needs of a NOTIFY sender (tests of resync may use the real one against a UAS). */
export interface Notifier {
  send(req: NotifyRequest): Promise<NotifyResult>;
}

export interface SipNotifierOptions {
  /** RFC 3261 T1 in ms (500 on a LAN); T2 is 8*T1 capped at 4 s, Timer F 64*T1. */
  readonly t1Ms: number;
}

export class SipNotifier implements Notifier {
  readonly #t1: number;
  readonly #t2: number;

  constructor(opts: SipNotifierOptions) {
    this.#t1 = opts.t1Ms;
    this.#t2 = Math.min(4000, 8 * opts.t1Ms);
  }

  async send(req: NotifyRequest): Promise<NotifyResult> {
    let channel: Channel | undefined;
    try {
      channel = await openChannel(req.transport ?? 'udp', req.target.address, req.target.port, 64 * this.#t1);
      const socket = channel;
      const local = channel.local;
      const callId = `${token()}@provd`;
      const fromTag = token();
      const fl = flavour(req.event, req.reboot);
      let attempts = 0;
      const once = async (cseq: number, authorization?: { header: 'Authorization' | 'Proxy-Authorization'; value: string }) => {
        const branch = `z9hG4bK${token()}`;
        const packet = buildNotify({ transport: socket.name, target: req.target, local, callId, fromTag, cseq, branch, flavour: fl, ...(authorization && { authorization }) });
        const r = await this.#transaction(socket, packet, branch);
        attempts += r.attempts;
        return r;
      };
      let r = await once(1);
      if (r.response && (r.response.code === 401 || r.response.code === 407) && req.credentials) {
        const isProxy = r.response.code === 407;
        const header = r.response.headers.get(isProxy ? 'proxy-authenticate' : 'www-authenticate') ?? [];
        const challenge = header.map(parseChallenge).find((c) => c !== undefined);
        const value = challenge && answerChallenge(challenge, req.credentials, 'NOTIFY', requestUri(req.target, socket.name));
        if (!value) return { kind: 'answered', code: r.response.code, reason: `${r.response.reason} (challenge not answerable)`, authenticated: false, attempts };
        r = await once(2, { header: isProxy ? 'Proxy-Authorization' : 'Authorization', value });
        if (r.response) return { kind: 'answered', code: r.response.code, reason: r.response.reason, authenticated: true, attempts };
      }
      if (r.error) return { kind: 'error', message: r.error };
      if (!r.response) return { kind: 'timeout', attempts };
      return { kind: 'answered', code: r.response.code, reason: r.response.reason, authenticated: false, attempts };
    } catch (err) {
      return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
    } finally {
      channel?.close();
    }
  }

  /** One client transaction: resolves with the final response, or none at Timer F. */
  #transaction(socket: Channel, packet: Buffer, branch: string): Promise<{ response?: SipResponse; error?: string; attempts: number }> {
    return new Promise((resolve) => {
      let attempts = 0;
      let interval = this.#t1;
      let proceeding = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (r: { response?: SipResponse; error?: string }) => {
        clearTimeout(timer);
        clearTimeout(timerF);
        socket.offMessage(onMessage);
        socket.offError(onError);
        resolve({ ...r, attempts });
      };
      const transmit = () => {
        attempts++;
        socket.send(packet, (err) => finish({ error: err.message }));
        if (socket.reliable) return;
        // Timer E (§17.1.2.2): doubles up to T2 in Trying; stays at T2 in Proceeding.
        timer = setTimeout(transmit, interval);
        interval = proceeding ? this.#t2 : Math.min(interval * 2, this.#t2);
      };
      const onMessage = (msg: Buffer) => {
        const res = parseResponse(msg);
        // A response belongs to this transaction when its top Via carries our branch (§17.1.3).
        if (!res || !(res.headers.get('via')?.[0] ?? '').includes(`branch=${branch}`)) return;
        if (res.code < 200) {
          proceeding = true;
          interval = this.#t2;
          return;
        }
        finish({ response: res });
      };
      const onError = (err: NodeJS.ErrnoException) => {
        // On a connected socket an ICMP port unreachable comes back as ECONNREFUSED: nobody listens.
        finish({ error: err.code === 'ECONNREFUSED' ? 'port unreachable (nothing listens for SIP there)' : err.message });
      };
      socket.onMessage(onMessage);
      socket.onError(onError);
      const timerF = setTimeout(() => finish({}), 64 * this.#t1);
      transmit();
    });
  }
}
