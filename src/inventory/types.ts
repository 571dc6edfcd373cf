/**
 * The inventory after loading and merging: what templates render from and what the resolver
 * looks devices up in. Input file formats live in inventory/schema.ts; these are the resolved,
 * vendor-neutral shapes (design §3).
 */
import type { Mac } from '../core/mac.js';

export type Transport = 'udp' | 'tcp' | 'tls' | 'dns-srv';
export type SrtpMode = 'off' | 'optional' | 'required';
export type DnsMode = 'a' | 'srv' | 'naptr';
/** Grandstream's P26040 choices; other vendors map what they can. */
export type DnsFailover = 'default' | 'saved_until_ttl' | 'saved_until_no_response' | 'failback_timer';

/** host with an optional port, kept as the admin wrote it plus split parts for templates. */
export interface HostPort {
  readonly host: string;
  readonly port?: number;
  /** `host` or `host:port`, as a vendor field that takes both wants it. */
  readonly text: string;
}

/** Where in which file a thing was defined, for error messages. */
export interface SourceRef {
  readonly file: string;
  /** 1-based line (YAML) or row (CSV, header = row 1). */
  readonly line: number;
}

export interface ResolvedAccount {
  readonly line: number;
  readonly user: string;
  readonly auth_id: string;
  readonly password: string;
  readonly display_name: string;
  readonly label: string;
  readonly registrar: HostPort;
  readonly outbound_proxy?: HostPort;
  readonly transport: Transport;
  readonly srtp: SrtpMode;
  /** Registration expiry in seconds; vendor templates convert (Grandstream P32 is minutes). */
  readonly expires: number;
  readonly dns_mode: DnsMode;
  readonly dns_failover: DnsFailover;
  readonly session_timer: boolean;
  readonly vars: Readonly<Record<string, unknown>>;
}

export interface ResolvedDevice {
  readonly mac: Mac;
  /** Vendor id as the vendor registry knows it (`yealink`). */
  readonly vendor: string;
  /** Canonical model name from the vendor's table (`T46U`). */
  readonly model: string;
  /** `$PN` folder this phone uses; the model name unless the admin set another. */
  readonly pn: string;
  readonly site?: string;
  readonly profile?: string;
  readonly labels: readonly string[];
  /** Sorted by line number. */
  readonly accounts: readonly ResolvedAccount[];
  /** defaults < site < profile < device, merged. */
  readonly vars: Readonly<Record<string, unknown>>;
  /** This phone's own HTTP credentials (inventory `auth`), for `secret_files: auth`. */
  readonly auth?: { readonly user: string; readonly password: string };
  /** Fixed IPv4 address (a DHCP reservation in server mode). */
  readonly ip?: string;
  readonly source: SourceRef;
}

/**
 * What the serving side keeps of a device once its files are rendered: enough to recognise it,
 * check its credentials and find its `$PN` folder. Accounts and variables stay with the renderer.
 */
export type DeviceSummary = Pick<ResolvedDevice, 'mac' | 'vendor' | 'model' | 'pn' | 'site' | 'profile' | 'labels' | 'auth' | 'ip' | 'source'>;

/** The summary of a resolved device (no accounts, no variables). */
export function summarise(d: ResolvedDevice): DeviceSummary {
  return {
    mac: d.mac,
    vendor: d.vendor,
    model: d.model,
    pn: d.pn,
    labels: d.labels,
    source: d.source,
    ...(d.site !== undefined ? { site: d.site } : {}),
    ...(d.profile !== undefined ? { profile: d.profile } : {}),
    ...(d.auth !== undefined ? { auth: d.auth } : {}),
    ...(d.ip !== undefined ? { ip: d.ip } : {}),
  };
}

export interface ResolvedProfile {
  readonly name: string;
  readonly description?: string;
  readonly source: SourceRef;
}

export interface ResolvedSite {
  readonly name: string;
  readonly description?: string;
  readonly source: SourceRef;
}

/** One loaded, validated inventory. Immutable: a reload builds a new one. */
export interface Inventory {
  readonly devices: ReadonlyMap<Mac, ResolvedDevice>;
  readonly profiles: ReadonlyMap<string, ResolvedProfile>;
  readonly sites: ReadonlyMap<string, ResolvedSite>;
  /** Global template variables (inventory `defaults.vars`). */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** Files the inventory was read from, for the watcher. */
  readonly files: readonly string[];
}

/** A problem found while loading, with where it is. */
export interface InventoryProblem {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}
