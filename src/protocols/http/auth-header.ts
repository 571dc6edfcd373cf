/**
 * Parsing of the Authorization header: Basic (RFC 7617) and Digest (RFC 7616 §3.4, and the
 * older RFC 2069 form without qop). Only syntax lives here; checking a password is digest.ts.
 */

export interface BasicAuthorization {
  readonly scheme: 'basic';
  readonly user: string;
  readonly password: string;
}

export interface DigestAuthorization {
  readonly scheme: 'digest';
  /** Parameter names lower-cased; values unquoted and unescaped. */
  readonly params: ReadonlyMap<string, string>;
}

export type Authorization = BasicAuthorization | DigestAuthorization;

const TOKEN_CHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Reads an Authorization header value; undefined when the scheme is unknown or it is malformed. */
export function parseAuthorization(header: string): Authorization | undefined {
  const value = header.trim();
  const sp = value.indexOf(' ');
  if (sp === -1) return undefined;
  const scheme = value.slice(0, sp).toLowerCase();
  const rest = value.slice(sp + 1).trim();
  if (scheme === 'basic') return parseBasic(rest);
  if (scheme === 'digest') {
    const params = parseAuthParams(rest);
    return params ? { scheme: 'digest', params } : undefined;
  }
  return undefined;
}

function parseBasic(token: string): BasicAuthorization | undefined {
  if (!BASE64.test(token)) return undefined;
  // RFC 7617 §2.1: the user-id cannot contain a colon, the password can.
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { scheme: 'basic', user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * `name=token` and `name="quoted \" string"` pairs separated by commas (RFC 9110 §11.2). A
 * repeated name makes the whole header invalid, as RFC 7616 §3.4 asks.
 */
export function parseAuthParams(input: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  let i = 0;
  const n = input.length;
  while (i < n) {
    while (i < n && (input[i] === ',' || input[i] === ' ' || input[i] === '\t')) i++;
    if (i >= n) break;
    const nameStart = i;
    while (i < n && TOKEN_CHAR.test(input[i] ?? '')) i++;
    if (i === nameStart) return undefined;
    const name = input.slice(nameStart, i).toLowerCase();
    while (i < n && (input[i] === ' ' || input[i] === '\t')) i++;
    if (input[i] !== '=') return undefined;
    i++;
    while (i < n && (input[i] === ' ' || input[i] === '\t')) i++;
    let val = '';
    if (input[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = input[i];
        if (c === '\\' && i + 1 < n) {
          val += input[i + 1];
          i += 2;
        } else if (c === '"') {
          i++;
          closed = true;
          break;
        } else {
          val += c;
          i++;
        }
      }
      if (!closed) return undefined;
    } else {
      // Lenient: some embedded clients leave `uri=/a/b` unquoted, which is not a token.
      const start = i;
      while (i < n && input[i] !== ',' && input[i] !== ' ' && input[i] !== '\t') i++;
      val = input.slice(start, i);
    }
    while (i < n && (input[i] === ' ' || input[i] === '\t')) i++;
    if (i < n && input[i] !== ',') return undefined;
    if (out.has(name)) return undefined;
    out.set(name, val);
  }
  return out;
}
