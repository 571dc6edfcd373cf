/**
 * A catalog packed for a trip between threads: the entries as plain data and every body in one
 * ArrayBuffer that is transferred, not copied. The daemon renders in a worker and unpacks here,
 * so the rendering garbage never lands on the thread that serves phones.
 */
import type { Mac } from '../core/mac.js';
import type { MemoryFile } from '../core/types.js';
import { Catalog, type CatalogEntry, type RenderProblem } from './catalog.js';

interface PackedEntry {
  readonly name: string;
  readonly vendor: string;
  readonly mac?: Mac;
  readonly secret: boolean;
  readonly folder?: readonly string[];
  readonly error?: string;
  readonly contentType?: string;
  readonly md5?: string;
  readonly start?: number;
  readonly length?: number;
}

export interface PackedCatalog {
  readonly entries: readonly PackedEntry[];
  readonly problems: readonly RenderProblem[];
  readonly bodies: ArrayBuffer;
}

export function packCatalog(catalog: Catalog): PackedCatalog {
  const entries: PackedEntry[] = [];
  let total = 0;
  for (const e of catalog.entries()) total += e.file?.body.length ?? 0;
  const bodies = new ArrayBuffer(total);
  const view = new Uint8Array(bodies);
  let offset = 0;
  for (const e of catalog.entries()) {
    const base = { name: e.name, vendor: e.vendor, secret: e.secret, ...(e.mac ? { mac: e.mac } : {}), ...(e.folder ? { folder: e.folder } : {}) };
    if (!e.file) {
      entries.push({ ...base, error: e.error ?? 'not rendered' });
      continue;
    }
    view.set(e.file.body, offset);
    entries.push({ ...base, contentType: e.file.contentType, md5: e.file.md5, start: offset, length: e.file.body.length });
    offset += e.file.body.length;
  }
  return { entries, problems: catalog.problems, bodies };
}

/** Rebuilds the catalog; files whose MD5 did not change keep the previous Buffer and mtime. */
export function unpackCatalog(packed: PackedCatalog, previous: Catalog | undefined, now: number): Catalog {
  const entries: CatalogEntry[] = packed.entries.map((p) => {
    const base = { name: p.name, vendor: p.vendor, secret: p.secret, ...(p.mac ? { mac: p.mac } : {}), ...(p.folder ? { folder: p.folder } : {}) };
    if (p.md5 === undefined || p.start === undefined || p.length === undefined) return { ...base, error: p.error };
    const old = previous?.lookup(p.name)?.file;
    const file: MemoryFile =
      old && old.md5 === p.md5
        ? old
        : {
            source: 'generated',
            name: p.name,
            body: Buffer.from(packed.bodies, p.start, p.length),
            md5: p.md5,
            contentType: p.contentType ?? 'application/octet-stream',
            mtimeMs: now,
          };
    return { ...base, file };
  });
  return new Catalog(entries, packed.problems, now);
}
