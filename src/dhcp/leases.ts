/**
 * The IP↔MAC bindings the DHCP helper knows: its own leases in server mode, and what clients told
 * it in INFORM (ciaddr) or REQUEST (option 50) otherwise. It is the pipeline's `LeaseLookup`, so a
 * fetch from a known lease address names its device. Only server-mode leases are persisted.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile, unlink } from 'node:fs/promises';
import type { LeaseLookup } from '../core/identify.js';
import type { Mac } from '../core/mac.js';
import { parseMac } from '../core/mac.js';

export interface Lease {
  readonly mac: Mac;
  readonly ip: string;
  /** Epoch ms after which the binding is no longer trusted. */
  readonly expires: number;
  /** `offered`: held for a client between OFFER and REQUEST; `bound`: acknowledged; `learned`: seen, not ours. */
  readonly state: 'offered' | 'bound' | 'learned';
}

export class LeaseTable implements LeaseLookup {
  readonly #byIp = new Map<string, Lease>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** The MAC holding `address` now (IPv4-mapped IPv6 peers are accepted). */
  macFor(address: string): Mac | undefined {
    const lease = this.#live(address.replace(/^::ffff:/, ''));
    return lease && lease.state !== 'offered' ? lease.mac : undefined;
  }

  /** The live lease on `ip`, any state. */
  at(ip: string): Lease | undefined {
    return this.#live(ip);
  }

  /** The live lease this MAC holds (own leases before learned ones). */
  ofMac(mac: Mac): Lease | undefined {
    let found: Lease | undefined;
    for (const lease of this.#byIp.values()) {
      if (lease.mac !== mac || lease.expires <= this.#now()) continue;
      if (!found || (found.state === 'learned' && lease.state !== 'learned')) found = lease;
    }
    return found;
  }

  set(lease: Lease): void {
    // One address per MAC: a client moving to another address gives up the old one.
    for (const [ip, l] of this.#byIp) if (l.mac === lease.mac && ip !== lease.ip && l.state === lease.state) this.#byIp.delete(ip);
    this.#byIp.set(lease.ip, lease);
  }

  delete(ip: string): void {
    this.#byIp.delete(ip);
  }

  /** Learned bindings never replace the server's own. */
  learn(mac: Mac, ip: string, ttlMs: number): void {
    const current = this.#live(ip);
    if (current && current.state !== 'learned') return;
    this.set({ mac, ip, expires: this.#now() + ttlMs, state: 'learned' });
  }

  bound(): Lease[] {
    return [...this.#byIp.values()].filter((l) => l.state === 'bound' && l.expires > this.#now());
  }

  #live(ip: string): Lease | undefined {
    const lease = this.#byIp.get(ip);
    if (lease && lease.expires <= this.#now()) {
      this.#byIp.delete(ip);
      return undefined;
    }
    return lease;
  }
}

interface PendingSave {
  snapshot: () => readonly Lease[];
  readonly waiters: { resolve: () => void; reject: (err: unknown) => void }[];
}

/**
 * Bound leases in a JSON file, rewritten atomically (temporary file, flushed, then rename): a
 * crash while writing leaves the previous file intact. Saves are group-committed: while one write
 * runs, every further save joins the next write, which takes the newest state, so a boot storm
 * costs a few writes, not one per lease, and an older state never overwrites a newer one.
 */
export class LeaseFile {
  readonly #file: string;
  #writing = false;
  #pending: PendingSave | undefined;

  constructor(file: string) {
    this.#file = file;
  }

  async load(): Promise<Lease[]> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new Error(`${this.#file}: not a lease file (${(err as Error).message}); move it away to start with no leases`);
    }
    if (!Array.isArray(parsed)) throw new Error(`${this.#file}: expected a list of leases`);
    const out: Lease[] = [];
    for (const item of parsed as unknown[]) {
      const r = item as Record<string, unknown>;
      const mac = typeof r.mac === 'string' ? parseMac(r.mac) : undefined;
      if (mac && typeof r.ip === 'string' && typeof r.expires === 'number') out.push({ mac, ip: r.ip, expires: r.expires, state: 'bound' });
    }
    return out;
  }

  /**
   * Resolves once a write that includes the state `snapshot` returns at call time (or later) is on
   * disk. RFC 2131 §4.3.2 wants a lease committed before its DHCPACK goes out: the responder waits.
   */
  save(snapshot: () => readonly Lease[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending ??= { snapshot, waiters: [] };
      this.#pending.snapshot = snapshot;
      this.#pending.waiters.push({ resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    if (this.#writing || !this.#pending) return;
    const batch = this.#pending;
    this.#pending = undefined;
    this.#writing = true;
    this.#write(batch.snapshot()).then(
      () => batch.waiters.forEach((w) => w.resolve()),
      (err: unknown) => batch.waiters.forEach((w) => w.reject(err)),
    ).finally(() => {
      this.#writing = false;
      this.#pump();
    });
  }

  async #write(leases: readonly Lease[]): Promise<void> {
    const text = `${JSON.stringify(leases.map(({ mac, ip, expires }) => ({ mac, ip, expires })), null, 1)}\n`;
    const tmp = `${this.#file}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, text, { flush: true });
      await rename(tmp, this.#file);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
  }
}
