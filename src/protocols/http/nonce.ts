/**
 * Stateless Digest nonces (RFC 7616 §3.3): `<issue time, hex seconds>-<HMAC of it>`. Any
 * instance holding the same secret can check a nonce, nothing is stored per client, and an old
 * nonce is recognised as genuine but stale so the client can retry without asking the user.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface NonceOptions {
  /** HMAC key; random per server when omitted (nonces then die with the process). */
  readonly secret?: Buffer;
  /** How long a nonce is accepted; 300 s by default. */
  readonly lifetimeSeconds?: number;
  /** Clock in milliseconds, injectable for tests. */
  readonly now?: () => number;
}

export type NonceState = 'valid' | 'stale' | 'invalid';

const MAC_BYTES = 16;

/** Issues and checks nonces for one server. */
export class NonceAuthority {
  readonly #secret: Buffer;
  readonly #lifetimeMs: number;
  readonly #now: () => number;

  constructor(opts: NonceOptions = {}) {
    this.#secret = opts.secret ?? randomBytes(32);
    this.#lifetimeMs = (opts.lifetimeSeconds ?? 300) * 1000;
    this.#now = opts.now ?? Date.now;
  }

  /** A fresh nonce for a challenge. */
  issue(): string {
    const stamp = Math.floor(this.#now() / 1000).toString(16);
    return `${stamp}-${this.#mac(stamp).toString('base64url')}`;
  }

  /** Whether a nonce came from this authority, and whether it is still within its lifetime. */
  check(nonce: string): NonceState {
    const dash = nonce.indexOf('-');
    if (dash <= 0) return 'invalid';
    const stamp = nonce.slice(0, dash);
    if (!/^[0-9a-f]{1,12}$/.test(stamp)) return 'invalid';
    const given = Buffer.from(nonce.slice(dash + 1), 'base64url');
    if (given.length !== MAC_BYTES || !timingSafeEqual(given, this.#mac(stamp))) return 'invalid';
    const age = this.#now() - parseInt(stamp, 16) * 1000;
    // A nonce from the future means a clock step; treat it like an expired one.
    return age >= -1000 && age <= this.#lifetimeMs ? 'valid' : 'stale';
  }

  #mac(stamp: string): Buffer {
    return createHmac('sha256', this.#secret).update(stamp).digest().subarray(0, MAC_BYTES);
  }
}
