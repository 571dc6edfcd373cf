/**
 * SIP digest authentication for the NOTIFYs we send (RFC 3261 §22.4, computed as RFC 2617 §3.2.2):
 * a phone that guards resync (Grandstream P4428=0, Cisco Auth_Resync-Reboot, Polycom
 * requestValidation) answers 401/407 with a challenge that we answer with its line credentials.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface Challenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque?: string;
  readonly algorithm: string;
  /** The qop options the server offered (`auth`, `auth-int`). */
  readonly qop: readonly string[];
}

/** Parses `Digest realm="x", nonce="y", qop="auth,auth-int"`; undefined when it is not Digest. */
export function parseChallenge(header: string): Challenge | undefined {
  const m = /^\s*Digest\s+(.*)$/is.exec(header);
  if (!m) return undefined;
  const params = new Map<string, string>();
  // name=token or name="quoted string" (backslash escapes), comma separated (RFC 3261 §25.1).
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (let p = re.exec(m[1]!); p; p = re.exec(m[1]!)) {
    params.set(p[1]!.toLowerCase(), p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3]!);
  }
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (realm === undefined || nonce === undefined) return undefined;
  return {
    realm,
    nonce,
    algorithm: params.get('algorithm') ?? 'MD5',
    qop: (params.get('qop') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    ...(params.has('opaque') ? { opaque: params.get('opaque')! } : {}),
  };
}

const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');
const quote = (s: string): string => `"${s.replace(/(["\\])/g, '\\$1')}"`;

/**
 * The Authorization header value answering `c` for `method uri`. Only MD5 (the algorithm every
 * phone here uses); undefined for another algorithm, so the caller records a clear failure.
 */
export function answerChallenge(
  c: Challenge,
  cred: { readonly user: string; readonly password: string },
  method: string,
  uri: string,
  cnonce = randomBytes(8).toString('hex'),
): string | undefined {
  if (c.algorithm.toUpperCase() !== 'MD5') return undefined;
  const ha1 = md5(`${cred.user}:${c.realm}:${cred.password}`);
  const ha2 = md5(`${method}:${uri}`);
  const useQop = c.qop.includes('auth');
  const nc = '00000001';
  const response = useQop ? md5(`${ha1}:${c.nonce}:${nc}:${cnonce}:auth:${ha2}`) : md5(`${ha1}:${c.nonce}:${ha2}`);
  const parts = [
    `username=${quote(cred.user)}`,
    `realm=${quote(c.realm)}`,
    `nonce=${quote(c.nonce)}`,
    `uri=${quote(uri)}`,
    `response=${quote(response)}`,
    'algorithm=MD5',
    ...(c.opaque !== undefined ? [`opaque=${quote(c.opaque)}`] : []),
    ...(useQop ? ['qop=auth', `nc=${nc}`, `cnonce=${quote(cnonce)}`] : []),
  ];
  return `Digest ${parts.join(', ')}`;
}
