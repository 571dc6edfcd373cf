/**
 * Per-address limits that keep one client from starving the others: concurrent control
 * connections, and failed logins within a window (a password guesser is refused for the rest of
 * the window without a scrypt being spent on it).
 */
export interface FtpGuardOptions {
  readonly maxConnectionsPerAddress: number;
  readonly loginFailures: number;
  readonly loginWindowMs: number;
  readonly now: () => number;
  /** Addresses tracked for login failures at most; the oldest are forgotten first. */
  readonly maxTracked?: number;
}

export class FtpGuard {
  readonly #opts: FtpGuardOptions;
  readonly #connections = new Map<string, number>();
  /** Address -> times of recent failures. */
  readonly #failures = new Map<string, number[]>();

  constructor(opts: FtpGuardOptions) {
    this.#opts = opts;
  }

  /** Takes a connection slot; false when the address already holds its maximum. */
  open(address: string): boolean {
    const n = this.#connections.get(address) ?? 0;
    if (n >= this.#opts.maxConnectionsPerAddress) return false;
    this.#connections.set(address, n + 1);
    return true;
  }

  close(address: string): void {
    const n = (this.#connections.get(address) ?? 1) - 1;
    if (n <= 0) this.#connections.delete(address);
    else this.#connections.set(address, n);
  }

  /** True while the address has used up its failed logins for the window. */
  loginBlocked(address: string): boolean {
    return this.#recent(address).length >= this.#opts.loginFailures;
  }

  /** Notes a failed login; true when this failure is the one that blocks the address. */
  loginFailed(address: string): boolean {
    const recent = this.#recent(address);
    recent.push(this.#opts.now());
    if (!this.#failures.has(address)) {
      if (this.#failures.size >= (this.#opts.maxTracked ?? 50_000)) {
        const oldest = this.#failures.keys().next().value;
        if (oldest !== undefined) this.#failures.delete(oldest);
      }
      this.#failures.set(address, recent);
    }
    return recent.length === this.#opts.loginFailures;
  }

  #recent(address: string): number[] {
    const list = this.#failures.get(address);
    if (!list) return [];
    const since = this.#opts.now() - this.#opts.loginWindowMs;
    while (list.length > 0 && (list[0] ?? 0) <= since) list.shift();
    if (list.length === 0) this.#failures.delete(address);
    return list;
  }
}
