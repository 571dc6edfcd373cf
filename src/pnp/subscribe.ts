/**
 * What a PnP SUBSCRIBE says about the phone that sent it (vendors.md §2.7). The common form:
 *
 *   SUBSCRIBE sip:MAC%3a000413922D24@224.0.1.75 SIP/2.0
 *   From: <sip:MAC%3a000413922D24@224.0.1.75>;tag=1492417651
 *   To: <sip:MAC%3a000413922D24@224.0.1.75>
 *   Event: ua-profile;profile-type="device";vendor="snom";model="snomD785";version="10.1.33.33"
 *   Accept: application/url
 *
 * Vendors differ in where the MAC goes (request URI, From or To user; with or without the `MAC:`
 * prefix, any case, with or without separators), so every place is tried.
 */
import { parseMac, type Mac } from '../core/mac.js';
import { headerParam, uriUser, type SipRequest } from './sip-message.js';

export interface PnpSubscribe {
  readonly mac: Mac;
  readonly vendor?: string;
  readonly model?: string;
  readonly version?: string;
  readonly userAgent?: string;
}

export type NotPnp = 'not_subscribe' | 'not_ua_profile' | 'missing_headers' | 'no_mac';

/** Reads a PnP SUBSCRIBE; anything else names why it is not one. */
export function readPnpSubscribe(req: SipRequest): PnpSubscribe | NotPnp {
  if (req.method !== 'SUBSCRIBE') return 'not_subscribe';
  const event = req.headers.get('event');
  // RFC 6665 §8.2.1: the event package is the token before the first parameter.
  if (!event || event.split(';')[0]!.trim().toLowerCase() !== 'ua-profile') return 'not_ua_profile';
  // RFC 3261 §8.1.1: a request without these cannot be answered in a dialog.
  for (const name of ['via', 'from', 'to', 'call-id', 'cseq']) {
    if (req.headers.get(name) === undefined) return 'missing_headers';
  }
  const mac = macFrom(req.uri) ?? macFrom(req.headers.get('from')!) ?? macFrom(req.headers.get('to')!) ?? macParam(event);
  if (!mac) return 'no_mac';
  const param = (name: string) => {
    const v = headerParam(event, name);
    return v === undefined || v === '' ? undefined : v;
  };
  return { mac, vendor: param('vendor'), model: param('model'), version: param('version'), userAgent: req.headers.get('user-agent') };
}

function macFrom(uri: string): Mac | undefined {
  const user = uriUser(uri);
  if (!user) return undefined;
  return parseMac(user.replace(/^mac:/i, ''));
}

function macParam(event: string): Mac | undefined {
  const v = headerParam(event, 'mac');
  return v === undefined ? undefined : parseMac(v);
}
