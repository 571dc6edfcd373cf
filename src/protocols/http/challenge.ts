/**
 * The 401 challenge (RFC 9110 §11.6.1): Digest first, Basic second, so a client that takes the
 * strongest scheme picks Digest and one that understands only Basic still finds it.
 */
import type { NonceAuthority } from './nonce.js';

/** Both WWW-Authenticate values for a realm; `stale` when the client's nonce had expired. */
export function challengeHeaders(realm: string, nonces: NonceAuthority, stale: boolean): string[] {
  const r = quote(realm);
  const digest = `Digest realm=${r}, qop="auth", nonce="${nonces.issue()}", algorithm=MD5${stale ? ', stale=true' : ''}`;
  return [digest, `Basic realm=${r}, charset="UTF-8"`];
}

function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
