/**
 * Files phones write (Yealink `<mac>-local.cfg`, `<mac>-contact.xml`; Polycom logs, overrides, directories), kept
 * per device under `<state>/uploads/<mac>/`. Writes go to a temporary file in the same folder,
 * are fsynced and renamed over the old one, so a crash or an oversized body leaves the previous
 * version intact.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mac } from '../core/mac.js';
import type { MemoryFile } from '../core/types.js';
import { contentTypeFor } from './static-files.js';

export type UploadWrite =
  | { readonly ok: true; readonly bytes: number; readonly md5: string; readonly created: boolean }
  | { readonly ok: false; readonly tooLarge: true; readonly received: number };

export interface UploadStore {
  read(mac: Mac, name: string): Promise<MemoryFile | undefined>;
  write(mac: Mac, name: string, body: AsyncIterable<Buffer>, opts: { maxBytes: number; mode: 'replace' | 'append' }): Promise<UploadWrite>;
}

/** Upload names come from vendor patterns (MAC plus a fixed suffix); this guards the store anyway. */
function assertPlainName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/.test(name)) throw new Error(`refusing to store upload named ${JSON.stringify(name)}`);
}

export class DiskUploadStore implements UploadStore {
  readonly #dir: string;

  constructor(stateDir: string) {
    this.#dir = join(stateDir, 'uploads');
  }

  #path(mac: Mac, name: string): string {
    assertPlainName(name);
    return join(this.#dir, mac, name);
  }

  async read(mac: Mac, name: string): Promise<MemoryFile | undefined> {
    const file = this.#path(mac, name);
    try {
      const [body, st] = await Promise.all([readFile(file), stat(file)]);
      return {
        source: 'upload',
        name,
        body,
        md5: createHash('md5').update(body).digest('hex'),
        contentType: contentTypeFor(name),
        mtimeMs: st.mtimeMs,
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Writes of one file queue behind each other: two appends racing would each lose the other's lines. */
  readonly #pending = new Map<string, Promise<unknown>>();

  /**
   * Stores an upload. `replace` streams the body to a temporary file and renames it over the old
   * one. `append` (Polycom logs) keeps the old content followed by the body, trimmed from the
   * front (at a line break when there is one) so the file never exceeds `maxBytes`: the newest
   * lines survive. Either way a body over `maxBytes` is refused and the old file stays as it was.
   * The MD5 and byte count are those of the body received.
   */
  async write(
    mac: Mac,
    name: string,
    body: AsyncIterable<Buffer>,
    opts: { maxBytes: number; mode: 'replace' | 'append' },
  ): Promise<UploadWrite> {
    const target = this.#path(mac, name);
    const before = this.#pending.get(target) ?? Promise.resolve();
    const run = before.then(
      () => this.#write(mac, name, target, body, opts),
      () => this.#write(mac, name, target, body, opts),
    );
    this.#pending.set(target, run);
    try {
      return await run;
    } finally {
      if (this.#pending.get(target) === run) this.#pending.delete(target);
    }
  }

  async #write(
    mac: Mac,
    name: string,
    target: string,
    body: AsyncIterable<Buffer>,
    opts: { maxBytes: number; mode: 'replace' | 'append' },
  ): Promise<UploadWrite> {
    await mkdir(join(this.#dir, mac), { recursive: true, mode: 0o750 });
    const previous = await readFile(target).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    const temp = join(this.#dir, mac, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx', 0o640);
    const hash = createHash('md5');
    const appended: Buffer[] = [];
    let received = 0;
    let committed = false;
    try {
      for await (const chunk of body) {
        received += chunk.length;
        if (received > opts.maxBytes) return { ok: false, tooLarge: true, received };
        hash.update(chunk);
        // Appends are assembled once the whole body is in (it is capped, so memory is bounded).
        if (opts.mode === 'append') appended.push(chunk);
        else await handle.write(chunk);
      }
      if (opts.mode === 'append') {
        const keep = previous ? tailWithin(previous, opts.maxBytes - received) : Buffer.alloc(0);
        await handle.write(Buffer.concat([keep, ...appended]));
      }
      await handle.sync();
      await handle.close();
      await rename(temp, target);
      committed = true;
      await syncFolder(join(this.#dir, mac));
      return { ok: true, bytes: received, md5: hash.digest('hex'), created: previous === undefined };
    } finally {
      if (!committed) {
        await handle.close().catch(() => undefined);
        await unlink(temp).catch(() => undefined);
      }
    }
  }
}

/** The last `room` bytes of `old`, starting after a line break when the cut falls inside a line. */
export function tailWithin(old: Buffer, room: number): Buffer {
  if (room <= 0) return Buffer.alloc(0);
  if (old.length <= room) return old;
  const cut = old.subarray(old.length - room);
  if (old[old.length - room - 1] === 0x0a) return cut; // the cut already falls on a line start
  const nl = cut.indexOf(0x0a);
  return nl === -1 ? cut : cut.subarray(nl + 1);
}

async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
