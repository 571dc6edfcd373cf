/**
 * Per-address token bucket for ERROR replies to packets that start no transfer, so provd cannot
 * be used to reflect traffic at a spoofed address. Bounded memory: the table is dropped whole
 * when it grows past its cap (a flood of spoofed sources then just starts from full buckets).
 */
export interface ReplyLimitOptions {
  /** Replies per second per address, sustained. */
  readonly perSecond: number;
  /** Replies an address may get in a burst. */
  readonly burst: number;
  readonly maxAddresses?: number;
  readonly now?: () => number;
}

export class ReplyLimiter {
  readonly #o: Required<ReplyLimitOptions>;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(o: ReplyLimitOptions) {
    this.#o = { maxAddresses: 10_000, now: Date.now, ...o };
  }

  /** True when `address` may get one more reply now (and counts it). */
  allow(address: string): boolean {
    const now = this.#o.now();
    let b = this.#buckets.get(address);
    if (!b) {
      if (this.#buckets.size >= this.#o.maxAddresses) this.#buckets.clear();
      b = { tokens: this.#o.burst, at: now };
      this.#buckets.set(address, b);
    }
    b.tokens = Math.min(this.#o.burst, b.tokens + ((now - b.at) / 1000) * this.#o.perSecond);
    b.at = now;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
