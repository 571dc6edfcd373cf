/**
 * The read-only view of the virtual tree that FTP listings need (LIST, NLST, MLSD, SIZE, MDTM,
 * CWD): the static root, the generated files and the `$PN` folders, filtered by what the policy
 * would serve to the asking login. It resolves exactly as the pipeline does, records nothing in
 * the ledger (only transfers are recorded) and never shows a device's files to another login.
 */
import type { StaticListing } from '../store/static-files.js';
import { withinGrant } from './grant.js';
import type { AccessPolicy } from './policy.js';
import type { Resolver, Snapshot } from './resolver.js';
import { isRejected, parseRequestPath, type SafePath } from './safe-path.js';
import type { DeniedReason, FetchRequest, Resolution } from './types.js';

export interface TreeEntry {
  readonly name: string;
  readonly kind: 'file' | 'dir';
  readonly size: number;
  readonly mtimeMs: number;
}

export type Listing =
  | { readonly kind: 'dir'; readonly entries: readonly TreeEntry[] }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'denied'; readonly reason: DeniedReason; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

/** What a session-based adapter asks besides transfers. */
export interface TreeLister {
  /** The folder at `req.path` as the requesting login may see it. */
  list(req: FetchRequest): Promise<Listing>;
  /** How the file at `req.path` would resolve (for SIZE and MDTM), without a ledger record. */
  probe(req: FetchRequest): Promise<Resolution>;
}

export interface TreeDeps {
  readonly policy: AccessPolicy;
  readonly resolver: Resolver;
  readonly snapshot: () => Snapshot | undefined;
  readonly statics: StaticListing;
}

export class TreeView implements TreeLister {
  readonly #d: TreeDeps;

  constructor(deps: TreeDeps) {
    this.#d = deps;
  }

  async probe(req: FetchRequest): Promise<Resolution> {
    return (await this.#d.resolver.resolve(req)).resolution;
  }

  async list(req: FetchRequest): Promise<Listing> {
    const parsed = parseRequestPath(req.path);
    if (isRejected(parsed)) return { kind: 'denied', reason: 'bad_path', message: parsed.rejected };
    const admitted = this.#d.policy.admit(req);
    if (!admitted.allow) return { kind: 'denied', reason: admitted.reason, message: admitted.message };
    const snapshot = this.#d.snapshot();
    if (!snapshot) return { kind: 'failed', message: 'inventory not loaded yet' };
    const access = this.#d.policy.folderAccess(req, parsed.segments, snapshot.folders);
    if (!access.allow) return { kind: 'denied', reason: access.reason, message: access.message };

    const segs = parsed.segments;
    const inPnFolder = segs.length > 0 && snapshot.pnFolders.has((segs[0] ?? '').toLowerCase());
    const home = req.grant !== undefined && withinGrant(req.grant, segs) && segs.length === req.grant.folder.length;
    // Phones find generated files by name in whatever folder they put in front; a listing shows
    // them where phones look: the root, their `$PN` folder and the login's own folder.
    const generatedHere = segs.length === 0 || (segs.length === 1 && inPnFolder) || home;

    const byName = new Map<string, TreeEntry>();
    const add = (e: TreeEntry): void => {
      const key = e.name.toLowerCase();
      if (!byName.has(key)) byName.set(key, e);
    };
    if (generatedHere) this.#addGenerated(req, snapshot, segs, add);
    const direct = await this.#d.statics.list(parsed);
    direct?.forEach(add);
    let stripped: readonly TreeEntry[] | undefined;
    if (inPnFolder) {
      // `/T46U/fw.rom` is served from the root's `fw.rom` (see Resolver#static), so the folder shows it.
      stripped = await this.#d.statics.list(parseRequestPath(segs.slice(1).join('/')) as SafePath);
      stripped?.forEach(add);
    }
    if (segs.length === 0) {
      for (const device of snapshot.devices.values()) {
        if (device.pn !== '') add({ name: device.pn, kind: 'dir', size: 0, mtimeMs: snapshot.catalog.builtAt });
      }
    }
    const exists = generatedHere || direct !== undefined || stripped !== undefined;
    if (!exists) return { kind: 'not_found' };
    const entries = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { kind: 'dir', entries };
  }

  #addGenerated(req: FetchRequest, snapshot: Snapshot, segs: readonly string[], add: (e: TreeEntry) => void): void {
    for (const entry of snapshot.catalog.entries()) {
      if (!entry.file) continue;
      // A file bound to one folder (a PIN file in its activation folder) is served only there.
      if (entry.folder && !sameFolder(entry.folder, segs)) continue;
      if (entry.mac !== undefined && !this.#d.policy.listsDeviceFile(req, entry.mac)) continue;
      add({ name: entry.name, kind: 'file', size: entry.file.body.length, mtimeMs: entry.file.mtimeMs });
    }
  }
}

/** Exact, case-sensitive: the policy matches folders the same way (see Resolver). */
function sameFolder(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((seg, i) => seg === b[i]);
}
