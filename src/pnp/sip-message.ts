/**
 * A minimal SIP message codec for the PnP responder: enough of RFC 3261 §7 to read a SUBSCRIBE
 * and the responses to our NOTIFY, and to write both. Strict on size and framing because the
 * input is whatever anyone on the LAN sends to a multicast group.
 */

/** Largest datagram we read; a PnP SUBSCRIBE is well under 1 KiB (RFC 3261 §18.1.1 MTU note). */
export const MAX_SIP_BYTES = 4096;
const MAX_HEADERS = 64;

export interface SipRequest {
  readonly kind: 'request';
  readonly method: string;
  readonly uri: string;
  readonly headers: SipHeaders;
  readonly body: string;
}

export interface SipResponse {
  readonly kind: 'response';
  readonly status: number;
  readonly reason: string;
  readonly headers: SipHeaders;
  readonly body: string;
}

export type SipMessage = SipRequest | SipResponse;

/** Why a datagram was dropped; each reason is a counter on the responder. */
export type SipParseError = 'too_large' | 'not_utf8' | 'bad_start_line' | 'bad_header' | 'too_many_headers' | 'bad_content_length';

/** RFC 3261 §7.3.3 compact header forms, mapped to their long names (lower case). */
const COMPACT: Readonly<Record<string, string>> = {
  v: 'via', f: 'from', t: 'to', i: 'call-id', m: 'contact', l: 'content-length', c: 'content-type', o: 'event', k: 'supported', s: 'subject', e: 'content-encoding',
};

/** Header fields by lower-case long name, each with every value in arrival order. */
export class SipHeaders {
  readonly #fields = new Map<string, string[]>();

  add(name: string, value: string): void {
    const key = normaliseName(name);
    const list = this.#fields.get(key);
    if (list) list.push(value);
    else this.#fields.set(key, [value]);
  }

  /** The first value of a header, undefined when absent. */
  get(name: string): string | undefined {
    return this.#fields.get(normaliseName(name))?.[0];
  }

  /** Every value of a header (Via may come as several lines). */
  all(name: string): readonly string[] {
    return this.#fields.get(normaliseName(name)) ?? [];
  }
}

function normaliseName(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT[lower] ?? lower;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses one datagram; an error names why it is not a SIP message we accept. */
export function parseSipMessage(datagram: Buffer): SipMessage | SipParseError {
  if (datagram.length > MAX_SIP_BYTES) return 'too_large';
  let text: string;
  try {
    text = utf8.decode(datagram);
  } catch {
    return 'not_utf8';
  }
  // RFC 3261 §7.5: the header block ends at the first empty line; CRLF is canonical but bare LF
  // is seen from simple stacks, so both end a line.
  const end = /\r?\n\r?\n/.exec(text);
  const head = end ? text.slice(0, end.index) : text;
  const rawBody = end ? text.slice(end.index + end[0].length) : '';
  const lines = head.replace(/^(\r?\n)+/, '').split(/\r?\n/);
  const startLine = lines.shift() ?? '';
  const headers = new SipHeaders();
  let count = 0;
  let last: { name: string; value: string } | undefined;
  const flush = () => {
    if (last) headers.add(last.name, last.value.trim());
  };
  for (const line of lines) {
    // §7.3.1: a line starting with white space continues the previous header (folding).
    if (/^[ \t]/.test(line) && last) {
      last.value += ` ${line.trim()}`;
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    if (colon <= 0) return 'bad_header';
    const name = line.slice(0, colon).trim();
    if (!/^[A-Za-z0-9!%*_+`'~.-]+$/.test(name)) return 'bad_header';
    if (++count > MAX_HEADERS) return 'too_many_headers';
    last = { name, value: line.slice(colon + 1) };
  }
  flush();

  const lengthText = headers.get('content-length');
  let body = rawBody;
  if (lengthText !== undefined) {
    if (!/^\s*\d{1,5}\s*$/.test(lengthText)) return 'bad_content_length';
    const length = Number(lengthText);
    const bodyBytes = Buffer.byteLength(rawBody);
    // §18.3: over UDP a Content-Length larger than the datagram means the message is broken;
    // extra bytes after the body are discarded.
    if (length > bodyBytes) return 'bad_content_length';
    body = Buffer.from(rawBody).subarray(0, length).toString('utf8');
  }

  const response = /^SIP\/2\.0 ([1-6]\d\d)(?: (.*))?$/.exec(startLine);
  if (response) return { kind: 'response', status: Number(response[1]), reason: response[2] ?? '', headers, body };
  const request = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(startLine);
  if (request) return { kind: 'request', method: request[1]!, uri: request[2]!, headers, body };
  return 'bad_start_line';
}

/** Writes a message with CRLF line ends and a Content-Length that matches the body. */
export function formatSipMessage(startLine: string, headers: readonly (readonly [string, string])[], body = ''): Buffer {
  const lines = [startLine, ...headers.map(([n, v]) => `${n}: ${v}`), `Content-Length: ${Buffer.byteLength(body)}`, '', body];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/** The value of `;name=value` in a header such as Via or Event; quotes are removed. */
export function headerParam(value: string, name: string): string | undefined {
  const re = new RegExp(`;\\s*${name}\\s*=\\s*("([^"]*)"|[^;,\\s]*)`, 'i');
  const m = re.exec(value);
  if (!m) return undefined;
  return m[2] ?? m[1];
}

/** The user part of the first SIP URI in a header or request URI, percent-decoded. */
export function uriUser(value: string): string | undefined {
  const m = /sips?:([^@;>\s]+)@/i.exec(value);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return m[1];
  }
}
