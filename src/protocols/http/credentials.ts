/**
 * Turns an Authorization header into PresentedCredentials. The adapter cannot know the expected
 * password; the pipeline's policy does, and calls `verify`, which recomputes what the client
 * should have sent. Nothing here is ever logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { PresentedCredentials } from '../../core/types.js';
import { parseAuthorization, type DigestAuthorization } from './auth-header.js';
import type { NonceAuthority } from './nonce.js';

/** Credentials as the HTTP adapter read them, with what a later 401 must say. */
export interface HttpCredentials extends PresentedCredentials {
  readonly scheme: 'basic' | 'digest';
  /**
   * True once `verify` saw a Digest response that was right for its nonce but the nonce had
   * expired: the next challenge says `stale=true` (RFC 7616 §3.3) so the client retries alone.
   */
  readonly stale: boolean;
}

/**
 * Reads the Authorization header of a request. `method` and `target` are the request line's
 * (Digest signs both); undefined when there is no header or it cannot be read.
 */
export function readCredentials(
  header: string | undefined,
  method: string,
  target: string,
  nonces: NonceAuthority,
): HttpCredentials | undefined {
  if (header === undefined) return undefined;
  const auth = parseAuthorization(header);
  if (!auth) return undefined;
  if (auth.scheme === 'basic') return new BasicCredentials(auth.user, auth.password);
  return DigestCredentials.from(auth, method, target, nonces);
}

class BasicCredentials implements HttpCredentials {
  readonly scheme = 'basic';
  readonly stale = false;
  readonly #password: string;

  constructor(readonly user: string, password: string) {
    this.#password = password;
  }

  verify(password: string): boolean {
    return sameSecret(this.#password, password);
  }
}

class DigestCredentials implements HttpCredentials {
  readonly scheme = 'digest';
  #stale = false;

  private constructor(
    readonly user: string,
    private readonly p: ReadonlyMap<string, string>,
    private readonly method: string,
    private readonly uriMatches: boolean,
    private readonly nonces: NonceAuthority,
  ) {}

  static from(
    auth: DigestAuthorization,
    method: string,
    target: string,
    nonces: NonceAuthority,
  ): DigestCredentials | undefined {
    const p = auth.params;
    const user = digestUser(p);
    if (user === undefined || !p.has('realm') || !p.has('nonce') || !p.has('uri') || !p.has('response')) {
      return undefined;
    }
    // RFC 7616 §3.4.6: the uri parameter must name the request target, so a response captured
    // for one file cannot be replayed for another.
    return new DigestCredentials(user, p, method, p.get('uri') === target, nonces);
  }

  get stale(): boolean {
    return this.#stale;
  }

  verify(password: string): boolean {
    if (!this.uriMatches) return false;
    const p = this.p;
    const algorithm = (p.get('algorithm') ?? 'MD5').toUpperCase();
    if (algorithm !== 'MD5') return false;
    const nonce = p.get('nonce') ?? '';
    const state = this.nonces.check(nonce);
    if (state === 'invalid') return false;
    const ha1 = md5(`${this.user}:${p.get('realm') ?? ''}:${password}`);
    const ha2 = md5(`${this.method}:${p.get('uri') ?? ''}`);
    const qop = p.get('qop');
    let expected: string;
    if (qop === undefined) {
      // RFC 2069 form, still sent by old firmware.
      expected = md5(`${ha1}:${nonce}:${ha2}`);
    } else if (qop.toLowerCase() === 'auth') {
      const nc = p.get('nc');
      const cnonce = p.get('cnonce');
      if (nc === undefined || cnonce === undefined || !/^[0-9a-fA-F]{8}$/.test(nc)) return false;
      expected = md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
    } else {
      return false;
    }
    const right = sameSecret(expected, (p.get('response') ?? '').toLowerCase());
    if (right && state === 'stale') {
      this.#stale = true;
      return false;
    }
    return right;
  }
}

/** `username`, or RFC 7616 §3.4.4 `username*=UTF-8''...` for non-ASCII names. */
function digestUser(p: ReadonlyMap<string, string>): string | undefined {
  const plain = p.get('username');
  if (plain !== undefined) return plain;
  const ext = p.get('username*');
  const m = ext === undefined ? null : /^utf-8'[^']*'(.*)$/i.exec(ext);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1] ?? '');
  } catch {
    return undefined;
  }
}

function md5(s: string): string {
  return createHash('md5').update(s, 'utf8').digest('hex');
}

/** Constant-time equality that does not reveal the length of the secret either. */
function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}
