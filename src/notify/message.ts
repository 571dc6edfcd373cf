/**
 * Building the out-of-dialog NOTIFY a phone takes as "re-read your configuration", and parsing
 * the response it sends back. Flavours per vendors.md §1.4: an Event header (`check-sync`,
 * `check-sync;reboot=true`, `resync`...) with an empty body, except Cisco enterprise firmware,
 * whose `service-control` event carries its action in a text/plain body.
 */
import { randomBytes } from 'node:crypto';

export interface NotifyTarget {
  readonly address: string;
  readonly port: number;
  /** User part of the request URI (the line's user; `anonymous` when the device has none). */
  readonly user: string;
}

export interface NotifyFlavour {
  readonly event: string;
  readonly contentType?: string;
  readonly body: string;
}

/**
 * The Event header and body for a vendor's event string. `service-control` (Cisco enterprise,
 * vendors.md §1.4) gets `action=restart` (re-download without reboot) or `action=reset` (reboot).
 */
export function flavour(event: string, reboot: boolean): NotifyFlavour {
  if (event.split(';')[0]!.trim().toLowerCase() === 'service-control') {
    const body = [
      `action=${reboot ? 'reset' : 'restart'}`,
      'RegisterCallId={}',
      'ConfigVersionStamp={0000000000000000}',
      'DialplanVersionStamp={0000000000000000}',
      'SoftkeyVersionStamp={0000000000000000}',
      '',
    ].join('\r\n');
    return { event: 'service-control', contentType: 'text/plain', body };
  }
  return { event, body: '' };
}

const hostText = (h: string): string => (h.includes(':') ? `[${h}]` : h);
export const token = (): string => randomBytes(8).toString('hex');

export interface RequestParts {
  /** Via transport token (RFC 3261 §18): UDP, TCP or TLS. */
  readonly transport?: 'UDP' | 'TCP' | 'TLS';
  readonly target: NotifyTarget;
  readonly local: { readonly address: string; readonly port: number };
  readonly callId: string;
  readonly fromTag: string;
  readonly cseq: number;
  /** RFC 3261 §8.1.1.7: branch starts with the magic cookie and is new for each transaction. */
  readonly branch: string;
  readonly flavour: NotifyFlavour;
  readonly authorization?: { readonly header: 'Authorization' | 'Proxy-Authorization'; readonly value: string };
}

export function requestUri(t: NotifyTarget, transport?: 'UDP' | 'TCP' | 'TLS'): string {
  const param = transport === 'TCP' ? ';transport=tcp' : transport === 'TLS' ? ';transport=tls' : '';
  return `sip:${t.user}@${hostText(t.address)}:${t.port}${param}`;
}

export function buildNotify(p: RequestParts): Buffer {
  const uri = requestUri(p.target, p.transport);
  const local = `${hostText(p.local.address)}:${p.local.port}`;
  const body = Buffer.from(p.flavour.body, 'utf8');
  const lines = [
    `NOTIFY ${uri} SIP/2.0`,
    `Via: SIP/2.0/${p.transport ?? 'UDP'} ${local};branch=${p.branch};rport`,
    'Max-Forwards: 70',
    `From: <sip:provd@${local}>;tag=${p.fromTag}`,
    `To: <${uri}>`,
    `Call-ID: ${p.callId}`,
    `CSeq: ${p.cseq} NOTIFY`,
    `Contact: <sip:provd@${local}>`,
    `Event: ${p.flavour.event}`,
    // An unsolicited NOTIFY: no subscription exists, so it is already terminated (RFC 6665 §4.1.3).
    'Subscription-State: terminated',
    'User-Agent: provd',
    ...(p.authorization ? [`${p.authorization.header}: ${p.authorization.value}`] : []),
    ...(p.flavour.contentType ? [`Content-Type: ${p.flavour.contentType}`] : []),
    `Content-Length: ${body.length}`,
    '',
    '',
  ];
  return Buffer.concat([Buffer.from(lines.join('\r\n'), 'utf8'), body]);
}

export interface SipResponse {
  readonly code: number;
  readonly reason: string;
  /** Header values by lower-case name (compact forms expanded), in order. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
}

const COMPACT: Readonly<Record<string, string>> = { v: 'via', i: 'call-id', f: 'from', t: 'to', l: 'content-length', c: 'content-type', m: 'contact', o: 'event' };

/** Parses a SIP response datagram; undefined for anything else (a request, garbage). */
export function parseResponse(datagram: Buffer): SipResponse | undefined {
  const text = datagram.toString('utf8');
  const end = text.indexOf('\r\n\r\n');
  const head = (end >= 0 ? text.slice(0, end) : text).split(/\r?\n/);
  const m = /^SIP\/2\.0\s+(\d{3})\s*(.*)$/.exec(head[0] ?? '');
  if (!m) return undefined;
  const headers = new Map<string, string[]>();
  let last: string | undefined;
  for (const line of head.slice(1)) {
    // Header folding (RFC 3261 §7.3.1): a line starting with white space continues the last one.
    if (/^[ \t]/.test(line) && last) {
      const list = headers.get(last)!;
      list[list.length - 1] += ` ${line.trim()}`;
      continue;
    }
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const raw = line.slice(0, i).trim().toLowerCase();
    const name = COMPACT[raw] ?? raw;
    const list = headers.get(name) ?? [];
    list.push(line.slice(i + 1).trim());
    headers.set(name, list);
    last = name;
  }
  return { code: Number(m[1]), reason: m[2]!.trim(), headers };
}
