/**
 * Blocks an address that asks for many different unknown MAC files: a phone asks for its own MAC
 * over and over, a scanner walks through MACs. Counting distinct MACs, not requests, keeps a phone
 * that retries its own missing file from ever being blocked.
 */
import type { Mac } from './mac.js';

export interface ScannerGuardOptions {
  /** Distinct unknown MACs one address may ask for within the window. */
  readonly unknownMacs: number;
  readonly windowMs: number;
  readonly blockMs: number;
  readonly now: () => number;
  /** Addresses tracked at most; the oldest are forgotten first so a flood cannot grow memory. */
  readonly maxTracked?: number;
}

interface Track {
  /** MAC -> last time asked. */
  macs: Map<Mac, number>;
  blockedUntil: number;
}

export class ScannerGuard {
  readonly #opts: ScannerGuardOptions;
  readonly #tracks = new Map<string, Track>();

  constructor(opts: ScannerGuardOptions) {
    this.#opts = opts;
  }

  /** True while the address is blocked. */
  isBlocked(address: string): boolean {
    const track = this.#tracks.get(address);
    return track !== undefined && track.blockedUntil > this.#opts.now();
  }

  /**
   * Notes a request for an unknown device's file. Returns true when this request is the one that
   * gets the address blocked (so the caller writes one security log line, not one per request).
   */
  noteUnknown(address: string, mac: Mac): boolean {
    const now = this.#opts.now();
    let track = this.#tracks.get(address);
    if (!track) {
      track = { macs: new Map(), blockedUntil: 0 };
      this.#remember(address, track);
    }
    for (const [seen, at] of track.macs) {
      if (now - at > this.#opts.windowMs) track.macs.delete(seen);
    }
    track.macs.set(mac, now);
    if (track.blockedUntil <= now && track.macs.size > this.#opts.unknownMacs) {
      track.blockedUntil = now + this.#opts.blockMs;
      track.macs.clear();
      return true;
    }
    return false;
  }

  #remember(address: string, track: Track): void {
    const max = this.#opts.maxTracked ?? 50_000;
    if (this.#tracks.size >= max) {
      const oldest = this.#tracks.keys().next().value;
      if (oldest !== undefined) this.#tracks.delete(oldest);
    }
    this.#tracks.set(address, track);
  }
}
