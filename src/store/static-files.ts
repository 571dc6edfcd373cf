/**
 * Files under the static root (firmware, language packs, ring tones). Lookups never leave the
 * root: the safe path is joined inside it and the real path (after symlinks) must still be in it.
 * MD5s are computed once per file version and cached, so the ledger and ETag cost nothing after
 * the first request.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, sep } from 'node:path';
import { joinInside, type SafePath } from '../core/safe-path.js';
import type { StaticFile } from '../core/types.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.cfg': 'text/plain; charset=utf-8',
  '.boot': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'text/xml; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.lang': 'text/plain; charset=utf-8',
  '.wav': 'audio/wav',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.bmp': 'image/bmp',
  '.pem': 'application/x-pem-file',
  '.crt': 'application/x-x509-ca-cert',
};

export function contentTypeFor(name: string): string {
  return CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
}

export interface StaticFiles {
  /** The regular file at this path under the root, or undefined (missing, a folder, outside). */
  find(path: SafePath): Promise<StaticFile | undefined>;
}

/** One entry of a static folder, as a listing shows it. */
export interface StaticEntry {
  readonly name: string;
  readonly kind: 'file' | 'dir';
  readonly size: number;
  readonly mtimeMs: number;
}

export interface StaticListing {
  /**
   * The entries of the folder at this path under the root (root itself for no segments), or
   * undefined when it is not a folder inside the root. Hidden names and links leading out of the
   * root are left out, as `find` would refuse them.
   */
  list(path: SafePath): Promise<readonly StaticEntry[] | undefined>;
}

interface HashEntry {
  readonly key: string;
  readonly md5: Promise<string>;
}

export class StaticRoot implements StaticFiles, StaticListing {
  readonly #root: string;
  #realRoot: string | undefined;
  readonly #hashes = new Map<string, HashEntry>();

  constructor(root: string) {
    this.#root = root;
  }

  async find(path: SafePath): Promise<StaticFile | undefined> {
    if (path.segments.length === 0) return undefined;
    const full = joinInside(this.#root, path);
    if (!full) return undefined;
    let real: string;
    try {
      real = await realpath(full);
    } catch {
      return undefined;
    }
    const realRoot = await this.#rootReal();
    if (realRoot === undefined || !(real.startsWith(realRoot + sep))) return undefined;
    const st = await stat(real).catch(() => undefined);
    if (!st?.isFile()) return undefined;
    const key = `${st.ino}:${st.size}:${st.mtimeMs}`;
    let hash = this.#hashes.get(real);
    if (!hash || hash.key !== key) {
      hash = { key, md5: md5OfFile(real) };
      this.#hashes.set(real, hash);
    }
    let md5: string;
    try {
      md5 = await hash.md5;
    } catch {
      this.#hashes.delete(real);
      return undefined;
    }
    return {
      source: 'static',
      name: path.joined,
      absPath: real,
      size: st.size,
      md5,
      contentType: contentTypeFor(real),
      mtimeMs: st.mtimeMs,
    };
  }

  async list(path: SafePath): Promise<readonly StaticEntry[] | undefined> {
    const realRoot = await this.#rootReal();
    if (realRoot === undefined) return undefined;
    const full = joinInside(this.#root, path);
    if (!full) return undefined;
    const real = await realpath(full).catch(() => undefined);
    if (real === undefined || (real !== realRoot && !real.startsWith(realRoot + sep))) return undefined;
    const names = await readdir(real).catch(() => undefined);
    if (!names) return undefined;
    const entries: StaticEntry[] = [];
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const target = await realpath(`${real}${sep}${name}`).catch(() => undefined);
      if (target === undefined || !target.startsWith(realRoot + sep)) continue;
      const st = await stat(target).catch(() => undefined);
      if (st?.isFile()) entries.push({ name, kind: 'file', size: st.size, mtimeMs: st.mtimeMs });
      else if (st?.isDirectory()) entries.push({ name, kind: 'dir', size: 0, mtimeMs: st.mtimeMs });
    }
    return entries;
  }

  async #rootReal(): Promise<string | undefined> {
    if (this.#realRoot === undefined) {
      this.#realRoot = await realpath(this.#root).catch(() => undefined);
    }
    return this.#realRoot;
  }
}

function md5OfFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('md5');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
