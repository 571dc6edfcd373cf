/**
 * From a request to what the client gets (design §1 step 1): a generated file, a stored upload, a
 * static file, or not_found/denied with a reason. Pure decision logic over injected stores; the
 * same resolver answers every protocol, so a phone gets the same bytes over TFTP, HTTP or FTP.
 */
import type { Catalog, CatalogEntry } from '../render/catalog.js';
import type { DeviceSummary } from '../inventory/types.js';
import type { StaticFiles } from '../store/static-files.js';
import type { UploadStore } from '../store/uploads.js';
import type { VendorRegistry } from '../vendors/registry.js';
import type { UploadSpec } from '../vendors/types.js';
import { identify, macInPath, type LeaseLookup } from './identify.js';
import type { Mac } from './mac.js';
import type { AccessPolicy, Credential, Decision, InventoryFolder } from './policy.js';
import { isRejected, parseRequestPath, type SafePath } from './safe-path.js';
import type { DeviceIdentity, FetchRequest, Resolution, StaticFile } from './types.js';

/** The inventory and its rendered files, swapped together on reload. */
export interface Snapshot {
  /** The devices the inventory knows, keyed by MAC. */
  readonly devices: ReadonlyMap<Mac, DeviceSummary>;
  readonly catalog: Catalog;
  /** Per-device HTTP credentials from the inventory. */
  readonly deviceAuth: (mac: Mac) => Credential | undefined;
  /** Lower-cased `$PN` folder names: every vendor's model folders and every device's own. */
  readonly pnFolders: ReadonlySet<string>;
  /** Folders the inventory guards with their own credentials (activation codes). */
  readonly folders?: readonly InventoryFolder[];
}

export interface ResolverDeps {
  readonly registry: VendorRegistry;
  readonly policy: AccessPolicy;
  readonly snapshot: () => Snapshot | undefined;
  readonly statics: StaticFiles;
  readonly uploads: UploadStore;
  readonly leases?: LeaseLookup;
  /** Told when an address is blocked for guessing device files (one call per block). */
  readonly onScannerBlocked?: (address: string) => void;
}

/** A resolution plus what the pipeline needs for the ledger. */
export interface Resolved {
  readonly resolution: Resolution;
  readonly path?: SafePath;
  /** Authenticated user, when credentials were checked and accepted. */
  readonly user?: string;
}

export class Resolver {
  readonly #deps: ResolverDeps;

  constructor(deps: ResolverDeps) {
    this.#deps = deps;
  }

  async resolve(req: FetchRequest): Promise<Resolved> {
    const parsed = parseRequestPath(req.path);
    if (isRejected(parsed)) {
      return { resolution: { kind: 'denied', reason: 'bad_path', answer: 'not_found', message: parsed.rejected, identity: {} } };
    }
    const path = parsed;
    const admitted = this.#deps.policy.admit(req);
    if (!admitted.allow) return { resolution: denied(admitted, {}), path };

    const snapshot = this.#deps.snapshot();
    if (!snapshot) return { resolution: { kind: 'failed', message: 'inventory not loaded yet', identity: {} }, path };

    const identity = identify(this.#deps.registry, { path, userAgent: req.userAgent, peerAddress: req.peer.address }, this.#deps.leases);
    const folder = this.#deps.policy.folderAuth(req, path, snapshot.folders);
    if (!folder.allow) return { resolution: denied(folder, identity), path };
    const user = folder.user;

    // Most requests name no upload: settle that without a promise, and read the store only for
    // a name some vendor's phones upload under a known device.
    const spec = uploadSpecFor(this.#deps.registry, path.basename, snapshot);
    const upload = spec ? await this.#upload(req, spec, identity, snapshot) : undefined;
    if (upload) return { resolution: upload, path, user };

    const entry = servedHere(snapshot.catalog.lookup(path.basename), path);
    if (entry) return { resolution: this.#generated(req, entry, identity, snapshot), path, user };

    const file = await this.#static(path, snapshot);
    if (file) return { resolution: { kind: 'file', file, identity }, path, user };

    const named = macInPath(this.#deps.registry, path.basename);
    if (named && !snapshot.devices.has(named)) {
      if (this.#deps.policy.noteUnknownDevice(req.peer.address, named)) {
        this.#deps.onScannerBlocked?.(req.peer.address);
      }
      return { resolution: { kind: 'not_found', reason: 'unknown_device', message: `no device ${named} in the inventory`, identity }, path, user };
    }
    return { resolution: { kind: 'not_found', reason: 'no_such_file', identity }, path, user };
  }

  /** A file the phone uploaded earlier is served back to it (Yealink reads its MAC-local back). */
  async #upload(req: FetchRequest, spec: UploadSpec, identity: DeviceIdentity, snapshot: Snapshot): Promise<Resolution | undefined> {
    const file = await this.#deps.uploads.read(spec.mac, spec.name);
    if (!file) return undefined;
    // MAC-local files hold whatever the user typed on the phone, credentials included.
    const decision = this.#deps.policy.secretFile(req, identity, spec.mac, snapshot.deviceAuth(spec.mac));
    if (!decision.allow) return denied(decision, identity);
    return { kind: 'file', file, identity };
  }

  #generated(req: FetchRequest, entry: CatalogEntry, identity: DeviceIdentity, snapshot: Snapshot): Resolution {
    if (entry.secret && entry.mac) {
      const decision = this.#deps.policy.secretFile(req, identity, entry.mac, snapshot.deviceAuth(entry.mac));
      if (!decision.allow) return denied(decision, identity);
    }
    if (!entry.file) {
      return { kind: 'not_found', reason: 'render_failed', message: entry.error, identity };
    }
    return { kind: 'file', file: entry.file, identity };
  }

  /**
   * A static file at its path; a phone that put its `$PN` folder in front (`/T46U/fw.rom`) finds
   * files of the root too, as the Yealink seed's wildcard examples expect.
   */
  async #static(path: SafePath, snapshot: Snapshot): Promise<StaticFile | undefined> {
    const direct = await this.#deps.statics.find(path);
    if (direct || path.folder.length === 0) return direct;
    const first = path.segments[0] ?? '';
    if (!snapshot.pnFolders.has(first.toLowerCase())) return undefined;
    const rest = parseRequestPath(path.segments.slice(1).join('/'));
    return isRejected(rest) ? undefined : this.#deps.statics.find(rest);
  }
}

/** The entry, unless it is bound to a folder (PIN files) and the request is elsewhere. */
function servedHere(entry: CatalogEntry | undefined, path: SafePath): CatalogEntry | undefined {
  if (!entry?.folder) return entry;
  const folder = entry.folder;
  // Exact case, as the policy matches folders: a case variant must not dodge the folder's credentials.
  const same = folder.length === path.folder.length && folder.every((seg, i) => seg === path.folder[i]);
  return same ? entry : undefined;
}

/** The first vendor's upload name for this basename whose device the inventory knows. */
function uploadSpecFor(registry: VendorRegistry, basename: string, snapshot: Snapshot): UploadSpec | undefined {
  for (const vendor of registry.all()) {
    const spec = vendor.matchUpload(basename);
    if (spec && snapshot.devices.has(spec.mac)) return spec;
  }
  return undefined;
}

function denied(decision: Decision & { allow: false }, identity: DeviceIdentity): Resolution {
  return { kind: 'denied', reason: decision.reason, answer: decision.answer, realm: decision.realm, message: decision.message, identity };
}
