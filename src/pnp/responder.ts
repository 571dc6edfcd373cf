/**
 * The SIP Plug-and-Play responder (vendors.md §2.7): hears `Event: ua-profile` SUBSCRIBEs on the
 * multicast group 224.0.1.75 and on unicast, answers devices the inventory or an OUI rule knows
 * with 200 OK and a NOTIFY carrying their vendor's provisioning URL, and records each exchange.
 *
 * It is built not to be a reflector: nothing is sent to an unknown device, every answer goes to
 * the datagram's source (never to an address named inside the message), answers are budgeted per
 * address and in total, and every table is bounded.
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { ExchangeRecorder } from '../core/exchange.js';
import type { Mac } from '../core/mac.js';
import type { FetchRequest, Peer } from '../core/types.js';
import type { DeviceSummary } from '../inventory/types.js';
import type { Logger } from '../log/logger.js';
import type { ServerInfo } from '../render/context.js';
import type { VendorRegistry } from '../vendors/registry.js';
import type { ProvisioningScheme, VendorModule } from '../vendors/types.js';
import { provisioningNotify, subscribeOk, type LocalEndpoint } from './answer.js';
import { NotifyTransaction, RFC3261_TIMERS, type SipTimers } from './notify-transaction.js';
import { RateLimiter } from './rate-limit.js';
import { MAX_SIP_BYTES, parseSipMessage, type SipRequest, type SipResponse } from './sip-message.js';
import { readPnpSubscribe, type PnpSubscribe } from './subscribe.js';

export const PNP_GROUP = '224.0.1.75';

export interface PnpResponderOptions {
  /** IPv4 address of the interface that joins the group and takes unicast. */
  readonly interfaceAddress: string;
  /** UDP port; 5060 in production, 0 in tests (the bound port is returned by start()). */
  readonly port: number;
  /** Scheme of the URL handed out; `auto` is HTTPS when served, else HTTP. */
  readonly scheme: 'auto' | ProvisioningScheme;
  readonly registry: VendorRegistry;
  /** The inventory as last loaded (undefined before the first load). */
  readonly devices: () => ReadonlyMap<Mac, DeviceSummary> | undefined;
  readonly server: () => ServerInfo;
  readonly recorder: ExchangeRecorder;
  readonly logger: Logger;
  /** SUBSCRIBEs one address may make per minute before it is ignored. */
  readonly perAddressPerMinute: number;
  /** SUBSCRIBEs answered per minute from all addresses together. */
  readonly totalPerMinute: number;
  /** Exchanges in flight at once; more are dropped (counted as `busy`). */
  readonly maxExchanges: number;
  readonly timers?: SipTimers;
  readonly now: () => number;
}

/** Why datagrams were dropped or ignored; exposed for status and tests. */
export type PnpCounters = Record<string, number>;

interface Exchange {
  readonly key: string;
  /** Why it was cancelled, when it was: the daemon stopped, or a newer SUBSCRIBE took over. */
  cancelReason?: 'stopped' | 'superseded';
  readonly ok: Buffer;
  readonly branch: string;
  readonly transaction: NotifyTransaction;
}

export class PnpResponder {
  readonly #o: PnpResponderOptions;
  readonly #limiter: RateLimiter;
  readonly #exchanges = new Map<string, Exchange>();
  readonly #byBranch = new Map<string, Exchange>();
  /** At most one exchange per device: a phone that rebooted gets the answer to its new SUBSCRIBE. */
  readonly #byMac = new Map<Mac, Exchange>();
  readonly #counters: PnpCounters = {};
  #unicast: Socket | undefined;
  #group: Socket | undefined;
  #local: LocalEndpoint | undefined;
  #report: NodeJS.Timeout | undefined;
  #reported = '';

  constructor(options: PnpResponderOptions) {
    this.#o = options;
    this.#limiter = new RateLimiter({
      perAddress: options.perAddressPerMinute,
      total: options.totalPerMinute,
      windowMs: 60_000,
      maxAddresses: 10_000,
      now: options.now,
    });
  }

  /** Binds the group socket and the unicast socket on one port; resolves with that port. */
  async start(): Promise<number> {
    const group = createSocket({ type: 'udp4', reuseAddr: true });
    this.#group = group;
    // Bound to the group address, this socket sees only datagrams sent to the group.
    await bind(group, this.#o.port, PNP_GROUP);
    const port = group.address().port;
    group.addMembership(PNP_GROUP, this.#o.interfaceAddress);
    const unicast = createSocket({ type: 'udp4', reuseAddr: true });
    this.#unicast = unicast;
    await bind(unicast, port, this.#o.interfaceAddress);
    this.#local = { host: this.#o.interfaceAddress, port };
    group.on('message', (msg, rinfo) => this.#receive(msg, rinfo, 'multicast'));
    unicast.on('message', (msg, rinfo) => this.#receive(msg, rinfo, 'unicast'));
    for (const s of [group, unicast]) s.on('error', (err) => this.#o.logger.error({ err, protocol: 'pnp' }, 'pnp socket error'));
    this.#report = setInterval(() => this.#logCounters(), 5 * 60_000);
    this.#report.unref();
    return port;
  }

  async stop(): Promise<void> {
    clearInterval(this.#report);
    for (const ex of [...this.#exchanges.values()]) {
      ex.cancelReason = 'stopped';
      ex.transaction.cancel();
    }
    this.#logCounters();
    await Promise.all([this.#group, this.#unicast].map((s) => (s ? new Promise<void>((r) => s.close(() => r())) : undefined)));
    this.#group = this.#unicast = undefined;
  }

  /** A copy of the drop and answer counters. */
  counters(): PnpCounters {
    return { ...this.#counters };
  }

  /** What was answered and dropped, when it changed since the last report. */
  #logCounters(): void {
    const text = JSON.stringify(this.#counters);
    if (text === this.#reported) return;
    this.#reported = text;
    this.#o.logger.info({ protocol: 'pnp', counters: this.counters() }, 'pnp counters');
  }

  #count(name: string): void {
    this.#counters[name] = (this.#counters[name] ?? 0) + 1;
  }

  #receive(datagram: Buffer, rinfo: RemoteInfo, transport: 'multicast' | 'unicast'): void {
    // recvfrom truncates datagrams larger than Node's buffer silently; anything at our cap is
    // treated as oversized too.
    if (datagram.length >= MAX_SIP_BYTES) return this.#count('too_large');
    const msg = parseSipMessage(datagram);
    if (typeof msg === 'string') return this.#count(msg);
    if (msg.kind === 'response') return this.#response(msg, transport);
    const sub = readPnpSubscribe(msg);
    if (typeof sub === 'string') return this.#count(sub);
    if (!this.#limiter.allow(rinfo.address)) return this.#count('rate_limited');
    const key = `${msg.headers.get('call-id')}\0${msg.headers.get('cseq')}\0${rinfo.address}`;
    const known = this.#exchanges.get(key);
    // RFC 3261 §17.2.2: a retransmitted request gets the same final response again.
    if (known) {
      this.#count('retransmitted_subscribe');
      return this.#send(known.ok, rinfo);
    }
    const target = this.#target(sub);
    if (!target) return this.#count('unknown_device');
    const previous = this.#byMac.get(sub.mac);
    if (previous) {
      previous.cancelReason = 'superseded';
      previous.transaction.cancel();
      this.#count('superseded');
    }
    if (this.#exchanges.size >= this.#o.maxExchanges) return this.#count('busy');
    this.#answer(msg, sub, target, rinfo, transport);
  }

  /** The vendor module and URL for this device, or undefined when it gets no answer. */
  #target(sub: PnpSubscribe): { vendor: VendorModule; url: string; by: 'inventory' | 'oui' } | undefined {
    const device = this.#o.devices()?.get(sub.mac);
    const vendor = device ? this.#o.registry.get(device.vendor) : this.#o.registry.byMac(sub.mac);
    if (!vendor) return undefined;
    const server = this.#o.server();
    const scheme = this.#o.scheme === 'auto' ? (server.https_url ? 'https' : 'http') : this.#o.scheme;
    const url = vendor.provisioningUrl(server, scheme);
    if (!url) return undefined;
    return { vendor, url, by: device ? 'inventory' : 'oui' };
  }

  #answer(
    req: SipRequest,
    sub: PnpSubscribe,
    target: { vendor: VendorModule; url: string; by: 'inventory' | 'oui' },
    rinfo: RemoteInfo,
    transport: 'multicast' | 'unicast',
  ): void {
    const started = this.#o.now();
    const local = this.#local!;
    const toTag = randomBytes(6).toString('hex');
    // RFC 3261 §8.1.1.7: branch IDs start with the magic cookie.
    const branch = `z9hG4bK${randomBytes(8).toString('hex')}`;
    const ok = subscribeOk(req, toTag, local, rinfo);
    const notify = provisioningNotify(req, { branch, toTag, cseq: 1, url: target.url }, local);
    const transaction = new NotifyTransaction(() => this.#send(notify, rinfo), this.#o.timers ?? RFC3261_TIMERS);
    const key = `${req.headers.get('call-id')}\0${req.headers.get('cseq')}\0${rinfo.address}`;
    const exchange: Exchange = { key, ok, branch, transaction };
    this.#exchanges.set(key, exchange);
    this.#byBranch.set(branch, exchange);
    this.#byMac.set(sub.mac, exchange);
    this.#send(ok, rinfo);
    transaction.start();
    this.#count('answered');
    const peer: Peer = { address: rinfo.address, port: rinfo.port };
    const fetch: FetchRequest = {
      protocol: 'pnp',
      peer,
      path: req.uri.slice(0, 256),
      userAgent: sub.userAgent?.slice(0, 256),
      detail: {
        transport,
        matched: target.by,
        vendor: target.vendor.id,
        ...(sub.vendor && { ua_vendor: sub.vendor.slice(0, 64) }),
        ...(sub.model && { ua_model: sub.model.slice(0, 64) }),
        ...(sub.version && { ua_version: sub.version.slice(0, 64) }),
        url: target.url,
      },
    };
    void transaction.outcome.then((outcome) => {
      this.#exchanges.delete(key);
      this.#byBranch.delete(branch);
      if (this.#byMac.get(sub.mac) === exchange) this.#byMac.delete(sub.mac);
      const identity = { mac: sub.mac, uaVendor: sub.vendor, uaModel: sub.model, uaVersion: sub.version };
      const base = { started, identity, bytes: Buffer.byteLength(target.url), detail: { transmissions: outcome.transmissions } };
      if (outcome.kind === 'final' && outcome.status < 300) {
        this.#o.recorder.recordExchange(fetch, { ...base, outcome: 'served', delivered: true, status: outcome.status });
      } else if (outcome.kind === 'final') {
        this.#o.recorder.recordExchange(fetch, { ...base, outcome: 'failed', reason: 'notify_rejected', delivered: false, status: outcome.status });
      } else {
        this.#o.recorder.recordExchange(fetch, { ...base, outcome: 'aborted', reason: outcome.kind === 'timeout' ? 'notify_timeout' : (exchange.cancelReason ?? 'stopped'), delivered: false });
      }
    });
  }

  #response(res: SipResponse, transport: 'multicast' | 'unicast'): void {
    // Responses to our NOTIFY come unicast; one sent to the group is someone else's business.
    if (transport !== 'unicast') return this.#count('stray_response');
    const via = res.headers.get('via');
    const branch = via ? /;\s*branch=([^;,\s]+)/i.exec(via)?.[1] : undefined;
    const exchange = branch ? this.#byBranch.get(branch) : undefined;
    // RFC 3261 §17.1.3: a response matches by top Via branch and CSeq method.
    if (!exchange || !/\bNOTIFY\s*$/i.test(res.headers.get('cseq') ?? '')) return this.#count('stray_response');
    exchange.transaction.response(res.status);
  }

  #send(bytes: Buffer, rinfo: RemoteInfo): void {
    this.#unicast?.send(bytes, rinfo.port, rinfo.address, (err) => {
      if (err) this.#o.logger.warn({ err, peer: rinfo.address, protocol: 'pnp' }, 'pnp send failed');
    });
  }
}

function bind(socket: Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, address, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}
