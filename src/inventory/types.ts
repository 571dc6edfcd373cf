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
  /** Encrypted configs (inventory `encryption`, profile < device); absent = plain files. */
  readonly encryption?: ResolvedEncryption;
  /** Fixed IPv4 address (a DHCP reservation in server mode). */
  readonly ip?: string;
  readonly source: SourceRef;
}

/** A device's encryption keys, checked against its vendor's format when the inventory loads. */
export interface ResolvedEncryption {
  /** The common key (Yealink `aes_key.com`), or the password (Grandstream P1359, Cisco `--key`). */
  readonly key: string;
  /** Yealink `aes_key.mac`: the key of the device's own files; `key` when absent. */
  readonly mac_key?: string;
  /**
   * Yealink: serve `<name>_Security.enc` with a per-file key (phone `aes_key_in_file = 1`, the
   * default); false = files are encrypted with the configured keys themselves, no key file.
   */
  readonly key_in_file: boolean;
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
  /** Yealink activation codes, in the order `static.autoprovision.X` numbers them (X = 1..50). */
  readonly activation?: readonly ActivationCode[];
  /** Yealink PIN files (`<pin>.cfg`), by PIN. */
  readonly pins?: ReadonlyMap<string, PinFile>;
}

/** One activation code: dialled on the phone, it provisions from `folder` with these credentials. */
export interface ActivationCode {
  /** `X` in `static.autoprovision.X.*`, 1-based. */
  readonly index: number;
  readonly name: string;
  readonly code: string;
  /** Served folder segments (`['act', 'sales']`), protected by `user`/`password`. */
  readonly folder: readonly string[];
  readonly user: string;
  readonly password: string;
  /** Whether the shared common file carries user and password (else the phone prompts). */
  readonly send_credentials: boolean;
  readonly source: SourceRef;
}

/** A PIN file: account settings a user pulls onto any phone by typing the PIN. */
export interface PinFile {
  readonly pin: string;
  readonly vendor: string;
  readonly model?: string;
  /** The activation folder it is served in, only with that folder's credentials. */
  readonly folder: readonly string[];
  readonly profile?: string;
  readonly accounts: readonly ResolvedAccount[];
  readonly vars: Readonly<Record<string, unknown>>;
  readonly source: SourceRef;
}

/** A problem found while loading, with where it is. */
export interface InventoryProblem {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}
