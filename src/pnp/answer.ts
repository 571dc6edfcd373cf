/**
 * The two messages provd sends in a PnP exchange: the 200 OK to the SUBSCRIBE (RFC 6665 §4.2.1)
 * and the NOTIFY whose body is the provisioning URL (vendors.md §2.7). Pure: bytes out.
 */
import { formatSipMessage, type SipRequest } from './sip-message.js';

/** Where provd's own SIP endpoint is, as written in Via and Contact. */
export interface LocalEndpoint {
  readonly host: string;
  readonly port: number;
}

const SERVER = 'provd';

/** The 200 OK: echoes the request's Via, From, Call-ID and CSeq (RFC 3261 §8.2.6.2), tags To. */
export function subscribeOk(req: SipRequest, toTag: string, local: LocalEndpoint, peer: { address: string; port: number }): Buffer {
  const vias = req.headers.all('via').map((via, i) => (i === 0 ? withReceived(via, peer) : via));
  return formatSipMessage('SIP/2.0 200 OK', [
    ...vias.map((v) => ['Via', v] as const),
    ['From', req.headers.get('from')!],
    ['To', withTag(req.headers.get('to')!, toTag)],
    ['Call-ID', req.headers.get('call-id')!],
    ['CSeq', req.headers.get('cseq')!],
    // One NOTIFY and the subscription is over; no refresh is wanted.
    ['Expires', '0'],
    ['Contact', `<sip:${local.host}:${local.port}>`],
    ['Server', SERVER],
  ]);
}

export interface NotifyParts {
  readonly branch: string;
  readonly toTag: string;
  readonly cseq: number;
  readonly url: string;
}

/** The NOTIFY inside the dialog the SUBSCRIBE created (RFC 6665 §4.2.2), one-shot. */
export function provisioningNotify(req: SipRequest, parts: NotifyParts, local: LocalEndpoint): Buffer {
  const target = sipTarget(req.headers.get('contact')) ?? req.uri;
  return formatSipMessage(
    `NOTIFY ${target} SIP/2.0`,
    [
      ['Via', `SIP/2.0/UDP ${local.host}:${local.port};branch=${parts.branch};rport`],
      ['Max-Forwards', '70'],
      // In our requests the roles swap: the phone's From is our To and the other way round.
      ['From', withTag(req.headers.get('to')!, parts.toTag)],
      ['To', req.headers.get('from')!],
      ['Call-ID', req.headers.get('call-id')!],
      ['CSeq', `${parts.cseq} NOTIFY`],
      ['Event', req.headers.get('event')!],
      ['Subscription-State', 'terminated;reason=timeout'],
      ['Contact', `<sip:${local.host}:${local.port}>`],
      ['Content-Type', 'application/url'],
      ['User-Agent', SERVER],
    ],
    parts.url,
  );
}

function withTag(header: string, tag: string): string {
  return /;\s*tag=/i.test(header) ? header : `${header};tag=${tag}`;
}

/** RFC 3261 §18.2.1 and RFC 3581 §4: note where the request really came from. */
function withReceived(via: string, peer: { address: string; port: number }): string {
  let out = via.replace(/;\s*rport(?=;|$|\s)/i, `;rport=${peer.port}`);
  if (!/;\s*received=/i.test(out)) out += `;received=${peer.address}`;
  return out;
}

/** The URI inside a Contact header, when it is a plain sip: URI without odd characters. */
function sipTarget(contact: string | undefined): string | undefined {
  if (!contact) return undefined;
  const m = /<?(sips?:[^>\s;,]+)/i.exec(contact);
  return m && /^[\x21-\x7e]+$/.test(m[1]!) ? m[1] : undefined;
}
