/**
 * Address choice for server mode (RFC 2131 §4.3.1): the client's reservation, else the address it
 * holds, else the one it asks for, else the lowest free one. Only pool addresses and reservations
 * are ever chosen, and never one another client holds, was declined, or was seen in use.
 */
import type { Mac } from '../core/mac.js';
import { ipNumber, ipString, sameSubnet, type DhcpServerConfig } from './config.js';
import type { LeaseTable } from './leases.js';

/** Fixed addresses by MAC, and the set of those addresses. */
export interface Reservations {
  readonly byMac: ReadonlyMap<Mac, string>;
  readonly ips: ReadonlySet<string>;
}

/** Builds Reservations; the first claim of an address or a MAC wins (config before inventory). */
export function reservationsOf(entries: Iterable<readonly [Mac, string]>): Reservations {
  const byMac = new Map<Mac, string>();
  const ips = new Set<string>();
  for (const [mac, ip] of entries) {
    if (byMac.has(mac) || ips.has(ip)) continue;
    byMac.set(mac, ip);
    ips.add(ip);
  }
  return { byMac, ips };
}

/** True when `ip` is in the subnet of the server config's pool. */
export function inSubnetOf(config: DhcpServerConfig, ip: string): boolean {
  return sameSubnet(config, ip);
}

export class AddressPool {
  readonly #start: number;
  readonly #end: number;
  readonly #mask: number;
  /** Read on every decision: inventory reservations change with each reload. */
  readonly #reservations: () => Reservations;
  /** Addresses declined by a client (in use by someone else), until epoch ms. */
  readonly #conflicts = new Map<string, number>();
  readonly #leases: LeaseTable;
  readonly #now: () => number;

  constructor(config: DhcpServerConfig, reservations: () => Reservations, leases: LeaseTable, now: () => number) {
    this.#start = ipNumber(config.pool_start);
    this.#end = ipNumber(config.pool_end);
    this.#mask = ipNumber(config.subnet_mask);
    this.#reservations = reservations;
    this.#leases = leases;
    this.#now = now;
  }

  /** True when `ip` is in this server's subnet (NAK territory). */
  inSubnet(ip: string): boolean {
    return ((ipNumber(ip) & this.#mask) >>> 0) === ((this.#start & this.#mask) >>> 0);
  }

  inPool(ip: string): boolean {
    const n = ipNumber(ip);
    return n >= this.#start && n <= this.#end;
  }

  /** True when `mac` may hold `ip`: its reservation, or a free pool address not reserved for another. */
  allowed(mac: Mac, ip: string): boolean {
    const r = this.#reservations();
    const reservation = r.byMac.get(mac);
    if (reservation) return reservation === ip && this.#freeFor(mac, ip);
    return this.inPool(ip) && !r.ips.has(ip) && this.#freeFor(mac, ip);
  }

  /** The address to offer `mac`, or undefined when the pool is exhausted. */
  choose(mac: Mac, requested: string | undefined): string | undefined {
    const reservation = this.#reservations().byMac.get(mac);
    if (reservation) return this.#freeFor(mac, reservation) ? reservation : undefined;
    const held = this.#leases.ofMac(mac);
    if (held && held.state !== 'learned' && this.allowed(mac, held.ip)) return held.ip;
    if (requested && this.allowed(mac, requested)) return requested;
    for (let n = this.#start; n <= this.#end; n++) {
      const ip = ipString(n);
      if (this.allowed(mac, ip)) return ip;
    }
    return undefined;
  }

  /** A client found `ip` in use (DHCPDECLINE, RFC 2131 §4.3.3): keep it out for `ms`. */
  conflict(ip: string, ms: number): void {
    this.#conflicts.set(ip, this.#now() + ms);
  }

  #freeFor(mac: Mac, ip: string): boolean {
    const until = this.#conflicts.get(ip);
    if (until !== undefined) {
      if (until > this.#now()) return false;
      this.#conflicts.delete(ip);
    }
    const lease = this.#leases.at(ip);
    return !lease || lease.mac === mac;
  }
}
