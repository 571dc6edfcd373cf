/**
 * Per-address request budget with bounded memory. A flood from many (possibly forged) source
 * addresses cannot grow the table past `maxAddresses`: the oldest entry is evicted first, and a
 * global budget caps how much the whole responder sends per window whatever the sources.
 */
export interface RateLimitOptions {
  /** Requests one address may make per window. */
  readonly perAddress: number;
  /** Requests all addresses together may make per window. */
  readonly total: number;
  readonly windowMs: number;
  /** Most addresses remembered at once. */
  readonly maxAddresses: number;
  readonly now: () => number;
}

export class RateLimiter {
  readonly #o: RateLimitOptions;
  readonly #seen = new Map<string, { start: number; count: number }>();
  #totalStart = 0;
  #totalCount = 0;

  constructor(options: RateLimitOptions) {
    this.#o = options;
  }

  /** True when this address may be answered now; counts the attempt either way. */
  allow(address: string): boolean {
    const now = this.#o.now();
    if (now - this.#totalStart >= this.#o.windowMs) {
      this.#totalStart = now;
      this.#totalCount = 0;
    }
    let entry = this.#seen.get(address);
    if (!entry || now - entry.start >= this.#o.windowMs) {
      if (entry) this.#seen.delete(address);
      entry = { start: now, count: 0 };
      // Re-inserting keeps the Map in order of window start, so the first key is the oldest.
      this.#seen.set(address, entry);
      while (this.#seen.size > this.#o.maxAddresses) {
        const oldest = this.#seen.keys().next().value;
        if (oldest === undefined) break;
        this.#seen.delete(oldest);
      }
    }
    entry.count++;
    if (entry.count > this.#o.perAddress) return false;
    this.#totalCount++;
    return this.#totalCount <= this.#o.total;
  }

  /** Addresses currently remembered (for tests and the flood benchmark). */
  get size(): number {
    return this.#seen.size;
  }
}
