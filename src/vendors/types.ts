/**
 * What a vendor module gives the pipeline. Vendor modules are data plus pure functions: filename
 * rules, User-Agent parsing (with real samples), model tables, which files carry secrets and which
 * names a phone may upload. Nothing vendor-specific is allowed to leak into core/ or protocols/.
 */
import type { Mac } from '../core/mac.js';
import type { PinFile, ResolvedDevice } from '../inventory/types.js';
import type { ServerInfo } from '../render/context.js';

export interface ModelInfo {
  /** Canonical name used in the inventory and as the default `$PN` folder (`T46U`). */
  readonly name: string;
  /** Other spellings accepted on input (`SIP-T46U`, `T46U-W`...), matched case-insensitively. */
  readonly aliases: readonly string[];
  /** Account lines the model has; more is an inventory error. */
  readonly accounts: number;
}

export interface UserAgentInfo {
  readonly vendor: string;
  readonly model?: string;
  readonly version?: string;
  readonly mac?: Mac;
}

/** One file the vendor serves, before rendering. */
export interface FileSpec {
  /** Name the phone asks for, in the vendor's canonical case (`805ec0d57d72.cfg`). */
  readonly name: string;
  /** Template path relative to the templates root, e.g. `yealink/mac.cfg.liquid`. */
  readonly template: string;
  /** True when the file carries credentials: served only to a request that names the device. */
  readonly secret: boolean;
  readonly contentType: string;
  /** Extra variables for this file only (e.g. `model` for a per-model common file). */
  readonly vars?: Readonly<Record<string, unknown>>;
  /**
   * Set when the device's data cannot make this file (accounts the vendor's format cannot hold):
   * the file is not rendered and answers not_found with this message (ledger `render_failed`).
   */
  readonly error?: string;
  /**
   * Set on files the phone accepts encrypted (in the vendor's `encryption.format`); when the
   * device's inventory asks for encryption the catalog serves the encrypted bytes instead. The
   * value picks the inventory key: `device` = `encryption.mac_key`, else `encryption.key`;
   * `common` = `encryption.key`.
   */
  readonly encryptWith?: EncryptionKeyRole;
}

/** Which of a device's inventory keys a file is encrypted under (FileSpec.encryptWith). */
export type EncryptionKeyRole = 'common' | 'device';

/**
 * Container formats for encrypted configs (src/render/crypto/formats.ts):
 * - `yealink-aes128-ecb`: Yealink compatibility mode, AES-128-ECB plus `<name>_Security.enc`
 *   (vendors.md §2.9, §10.3);
 * - `openssl-aes256-cbc`: OpenSSL `enc` `Salted__` AES-256-CBC, MD5 key derivation (Grandstream
 *   XML, Cisco MPP; vendors.md §10.2).
 */
export type EncryptionFormatId = 'yealink-aes128-ecb' | 'openssl-aes256-cbc';

/** A vendor's support for encrypted configs: its format; the files say themselves (encryptWith). */
export interface VendorEncryption {
  readonly format: EncryptionFormatId;
}

/** A name a phone may write, and how. */
export interface UploadSpec {
  readonly mac: Mac;
  /** Canonical stored name. */
  readonly name: string;
  /** `append` for logs (Polycom), `replace` for everything else. */
  readonly mode: 'replace' | 'append';
}

/** Schemes a phone can be pointed at for provisioning (DHCP option 66/160, PnP NOTIFY body). */
export type ProvisioningScheme = 'http' | 'https' | 'tftp' | 'ftp';

/** SIP NOTIFY events that make a phone re-fetch its files (vendors.md §1.4). */
export interface NotifyEvents {
  /** Re-read the configuration without a reboot where the phone supports it. */
  readonly resync: string;
  readonly reboot: string;
}

export interface VendorModule {
  readonly id: string;
  readonly displayName: string;
  readonly models: readonly ModelInfo[];
  /** Finds a model by canonical name or alias, case-insensitively. */
  findModel(name: string): ModelInfo | undefined;
  /** Parses this vendor's User-Agent; undefined when the string is not one of this vendor's. */
  parseUserAgent(userAgent: string): UserAgentInfo | undefined;
  /** Files every phone of this vendor shares (boot files, per-model common files). */
  sharedFiles(): readonly FileSpec[];
  /** Files generated for one device (its own boot/config files). */
  deviceFiles(device: ResolvedDevice): readonly FileSpec[];
  /**
   * The device a request name belongs to, when the name carries a MAC in this vendor's pattern
   * (`<mac>.boot`, `<mac>.cfg`, `<mac>-local.cfg`). Lets the resolver tell "unknown device" from
   * "no such file" and identify the device by path.
   */
  macInName(basename: string): Mac | undefined;
  /** The upload this basename is, when a phone of this vendor legitimately writes it. */
  matchUpload(basename: string): UploadSpec | undefined;
  /** Folder names phones of this vendor put in front of their requests (`$PN` = model names). */
  pnFolders(): readonly string[];
  /** Problems with the template variables this vendor reads (checked when the inventory loads). */
  varProblems(vars: Readonly<Record<string, unknown>>): readonly string[];
  /**
   * MAC prefixes (OUIs) of this vendor's devices, 6 lower-case hex digits each (vendors.md §10.1).
   * The DHCP helper and the PnP responder classify clients by them when nothing better is sent.
   */
  readonly ouis: readonly string[];
  /**
   * The provisioning URL to hand a phone of this vendor over `scheme` (DHCP option 66/160, PnP
   * NOTIFY body), or undefined when the daemon does not serve that scheme. May keep the vendor's
   * own wildcards (`$PN`) for the phone to expand.
   */
  provisioningUrl(server: ServerInfo, scheme: ProvisioningScheme): string | undefined;
  readonly notify: NotifyEvents;
  /**
   * Warnings `provd check` prints for one device without failing (a video endpoint's firmware
   * below the minimum its seed was tested with). Optional: most vendors have none.
   */
  deviceWarnings?(device: ResolvedDevice): readonly string[];
  /**
   * Present when the phones accept encrypted configs; devices of a vendor without it may not set
   * inventory `encryption` (`check` says so).
   */
  readonly encryption?: VendorEncryption;
  /**
   * Files for one inventory PIN entry (Yealink `$pin.cfg`, vendors.md §2.4); present only on
   * vendors whose phones fetch configs by a typed PIN.
   */
  pinFiles?(pin: PinFile): readonly FileSpec[];
}
