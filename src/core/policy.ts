/**
 * Who may read or write what. Decisions are values (allow, or a denial with a reason and the
 * answer the client sees), never exceptions. Nothing vendor-specific: vendors only say which
 * files are secret and which names a phone may upload.
 */
import { withinGrant } from './grant.js';
import type { Mac } from './mac.js';
import { AddressBlocks, plainAddress } from './net.js';
import type { SafePath } from './safe-path.js';
import type { ScannerGuard } from './scanner-guard.js';
import type { DeniedAnswer, DeniedReason, DeviceIdentity, FetchRequest } from './types.js';

export type SecretMode = 'named' | 'user-agent' | 'user-agent-required' | 'auth' | 'lease';

export interface Credential {
  readonly user: string;
  readonly password: string;
}

export interface FolderAuth {
  /** Folder segments, e.g. ['T23G_1']; requests at or below it need one of the users. */
  readonly folder: readonly string[];
  readonly realm: string;
  readonly users: readonly Credential[];
}

/** A folder guarded by credentials that come from the inventory (no realm of its own). */
export interface InventoryFolder {
  readonly folder: readonly string[];
  readonly users: readonly Credential[];
}

export interface PolicyOptions {
  readonly allowedNetworks: readonly string[];
  readonly secretMode: SecretMode;
  readonly realm: string;
  readonly folders: readonly FolderAuth[];
  readonly scanner: ScannerGuard;
}

export type Decision =
  | { readonly allow: true; readonly user?: string }
  | {
      readonly allow: false;
      readonly reason: DeniedReason;
      readonly answer: DeniedAnswer;
      readonly realm?: string;
      readonly message: string;
    };

const ALLOW: Decision = { allow: true };

function deny(reason: DeniedReason, answer: DeniedAnswer, message: string, realm?: string): Decision {
  return { allow: false, reason, answer, message, realm };
}

/** Addresses whose network verdict is remembered; a LAN has far fewer phones than this. */
const VERDICT_CACHE_SIZE = 65_536;

export class AccessPolicy {
  readonly #allowed: AddressBlocks;
  readonly #opts: PolicyOptions;
  /** Network verdict per address: BlockList lookups allocate, and phones come back constantly. */
  readonly #verdicts = new Map<string, boolean>();

  constructor(opts: PolicyOptions) {
    this.#opts = opts;
    this.#allowed = new AddressBlocks(opts.allowedNetworks);
  }

  /** Network and scanner-block checks that apply to every request, before any lookup. */
  admit(req: FetchRequest): Decision {
    if (!this.#inAllowedNetwork(req.peer.address)) {
      return deny('network_not_allowed', 'forbidden', `${plainAddress(req.peer.address)} is outside the allowed networks`);
    }
    if (this.#opts.scanner.isBlocked(req.peer.address)) {
      return deny('blocked_scanner', 'forbidden', 'address is blocked after guessing unknown device files');
    }
    return ALLOW;
  }

  /** Notes a request for an unknown device's file; true when it gets the address blocked. */
  noteUnknownDevice(address: string, mac: Mac): boolean {
    return this.#opts.scanner.noteUnknown(address, mac);
  }

  /**
   * Per-folder credentials (Yealink activation-code folders each have their own). `inventory`
   * adds the folders of the current inventory (its activation codes) to the configured ones, in
   * the default realm; the most specific folder decides, a configured one on a tie.
   */
  folderAuth(req: FetchRequest, path: SafePath, inventory: readonly InventoryFolder[] = []): Decision {
    return this.folderAccess(req, path.folder, inventory);
  }

  /**
   * The same check for a folder itself (a directory listing). A session login (FTP) is confined
   * to its folder; a named login is the admin's own grant for that folder, so the per-folder HTTP
   * credentials are not asked again; an anonymous login meets them like any request without any.
   */
  folderAccess(req: FetchRequest, folder: readonly string[], inventory: readonly InventoryFolder[] = []): Decision {
    const grant = req.grant;
    if (grant) {
      if (!withinGrant(grant, folder)) {
        return deny('outside_login_folder', 'not_found', `login ${JSON.stringify(grant.user)} is confined to /${grant.folder.join('/')}`);
      }
      if (!grant.anonymous) return { allow: true, user: grant.user };
    }
    const protectedBy = this.#folderFor(folder, inventory);
    if (!protectedBy) return ALLOW;
    return this.#checkCredentials(req, protectedBy.users, protectedBy.realm ?? this.#opts.realm);
  }

  /**
   * Whether a directory listing shows a file that belongs to a device: only to that device's own
   * login. Listing MAC-named files to anyone else would hand a scanner the inventory.
   */
  listsDeviceFile(req: FetchRequest, owner: Mac): boolean {
    return req.grant?.device === owner;
  }

  /**
   * A file that carries credentials goes only to a request that names its device, under the
   * configured strictness. Denials answer like a missing file so a scanner learns nothing.
   */
  secretFile(req: FetchRequest, identity: DeviceIdentity, owner: Mac, deviceAuth: Credential | undefined): Decision {
    const grant = req.grant;
    if (grant?.anonymous) return deny('secret_not_named', 'not_found', 'anonymous logins get no files that carry credentials');
    if (grant?.device !== undefined) {
      // The per-device login is the device's authentication, whatever the configured mode.
      if (grant.device === owner) return ALLOW;
      return deny('secret_not_named', 'not_found', `login ${JSON.stringify(grant.user)} belongs to device ${grant.device}`);
    }
    const mode = this.#opts.secretMode;
    if (mode === 'auth') {
      if (!deviceAuth) return deny('auth_required', 'not_found', 'secret_files is auth but the device has no credentials');
      return this.#checkCredentials(req, [deviceAuth], this.#opts.realm);
    }
    if (identity.mac !== owner) {
      return deny('secret_not_named', 'not_found', 'the request does not name the device this file belongs to');
    }
    if (mode === 'user-agent' && identity.uaMac !== undefined && identity.uaMac !== owner) {
      return deny('user_agent_mismatch', 'not_found', `User-Agent carries ${identity.uaMac}, the file belongs to ${owner}`);
    }
    if (mode === 'user-agent-required' && identity.uaMac !== owner) {
      return deny('user_agent_mismatch', 'not_found', 'the User-Agent must carry the device MAC');
    }
    // lease: the DHCP helper must have seen this MAC at this address (its lease, or an INFORM).
    if (mode === 'lease' && identity.leaseMac !== owner) {
      const seen = identity.leaseMac ? `the address is leased to ${identity.leaseMac}` : 'no DHCP lease is known for the address';
      return deny('lease_mismatch', 'not_found', `${seen}; the file belongs to ${owner}`);
    }
    return ALLOW;
  }

  /** Same rules for a phone writing one of its own files. */
  upload(req: FetchRequest, identity: DeviceIdentity, owner: Mac, deviceAuth: Credential | undefined): Decision {
    if (req.grant?.anonymous) return deny('read_only_login', 'forbidden', 'anonymous logins are read-only');
    const secret = this.secretFile(req, identity, owner, deviceAuth);
    if (!secret.allow && secret.answer === 'not_found') {
      return deny(secret.reason, 'forbidden', secret.message);
    }
    return secret;
  }

  #inAllowedNetwork(address: string): boolean {
    let verdict = this.#verdicts.get(address);
    if (verdict === undefined) {
      verdict = this.#allowed.contains(address);
      // A flood of distinct source addresses must not grow memory: start over when full.
      if (this.#verdicts.size >= VERDICT_CACHE_SIZE) this.#verdicts.clear();
      this.#verdicts.set(address, verdict);
    }
    return verdict;
  }

  #folderFor(folder: readonly string[], inventory: readonly InventoryFolder[]): (InventoryFolder & { realm?: string }) | undefined {
    let best: (InventoryFolder & { realm?: string }) | undefined;
    for (const f of [...this.#opts.folders, ...inventory]) {
      const under = f.folder.length <= folder.length && f.folder.every((seg, i) => seg === folder[i]);
      if (under && (!best || f.folder.length > best.folder.length)) best = f;
    }
    return best;
  }

  #checkCredentials(req: FetchRequest, users: readonly Credential[], realm: string): Decision {
    const presented = req.credentials;
    if (!presented) return deny('auth_required', 'auth', 'credentials required', realm);
    const match = users.find((u) => u.user === presented.user);
    if (match && presented.verify(match.password)) return { allow: true, user: match.user };
    return deny('auth_failed', 'auth', `wrong credentials for user ${JSON.stringify(presented.user)}`, realm);
  }
}
