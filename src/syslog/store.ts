/**
 * Per-device log files under `<state>/syslog/`: `<mac>.log`, rotated to `<mac>.log.1` ... when
 * it would pass the size cap, so a chatty or hostile sender costs at most
 * (rotations + 1) * maxFileBytes per file. Lines are queued and appended in batches; the queue
 * is bounded too, so a flood faster than the disk drops lines (counted) instead of growing.
 */
import { mkdirSync } from 'node:fs';
import { appendFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const SYSLOG_DIR = 'syslog';
export const UNATTRIBUTED = 'unattributed';

export interface LogStoreOptions {
  readonly dir: string;
  readonly maxFileBytes: number;
  readonly rotations: number;
  /** Bytes queued across all files before new lines are dropped. */
  readonly maxPendingBytes: number;
}

interface FileState {
  size: number | undefined;
  pending: string[];
  pendingBytes: number;
  writing: Promise<void> | undefined;
}

export class LogStore {
  readonly #o: LogStoreOptions;
  readonly #files = new Map<string, FileState>();
  #pendingBytes = 0;
  #dropped = 0;
  #made = false;

  constructor(options: LogStoreOptions) {
    this.#o = options;
  }

  /** The file a key (a MAC or `unattributed`) is written to. */
  static fileName(dir: string, key: string): string {
    return join(dir, `${key}.log`);
  }

  /** Lines dropped because the queue was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queues one line (without its newline) for `key`; false when it was dropped. */
  append(key: string, line: string): boolean {
    const bytes = Buffer.byteLength(line) + 1;
    if (this.#pendingBytes + bytes > this.#o.maxPendingBytes) {
      this.#dropped++;
      return false;
    }
    let f = this.#files.get(key);
    if (!f) {
      f = { size: undefined, pending: [], pendingBytes: 0, writing: undefined };
      this.#files.set(key, f);
    }
    f.pending.push(line);
    f.pendingBytes += bytes;
    this.#pendingBytes += bytes;
    f.writing ??= this.#drain(key, f);
    return true;
  }

  /** Resolves when every queued line is on disk. */
  async flush(): Promise<void> {
    while ([...this.#files.values()].some((f) => f.writing)) {
      await Promise.all([...this.#files.values()].map((f) => f.writing));
    }
  }

  async #drain(key: string, f: FileState): Promise<void> {
    try {
      if (!this.#made) {
        mkdirSync(this.#o.dir, { recursive: true, mode: 0o750 });
        this.#made = true;
      }
      const file = LogStore.fileName(this.#o.dir, key);
      f.size ??= await stat(file).then((s) => s.size, () => 0);
      while (f.pending.length > 0) {
        const lines = f.pending;
        const bytes = f.pendingBytes;
        f.pending = [];
        f.pendingBytes = 0;
        this.#pendingBytes -= bytes;
        let chunk = `${lines.join('\n')}\n`;
        let chunkBytes = Buffer.byteLength(chunk);
        if (chunkBytes > this.#o.maxFileBytes) {
          // One batch larger than a whole file: keep its newest lines only.
          chunk = newestLines(lines, this.#o.maxFileBytes);
          chunkBytes = Buffer.byteLength(chunk);
        }
        if (f.size + chunkBytes > this.#o.maxFileBytes) {
          await this.#rotate(file);
          f.size = 0;
        }
        await appendFile(file, chunk, { mode: 0o640 });
        f.size += chunkBytes;
      }
    } catch {
      // The disk refused (full, permissions): drop what was queued rather than retry forever.
      this.#dropped += f.pending.length;
      this.#pendingBytes -= f.pendingBytes;
      f.pending = [];
      f.pendingBytes = 0;
      f.size = undefined;
    } finally {
      f.writing = undefined;
      if (f.pending.length === 0) this.#files.delete(key);
      else f.writing = this.#drain(key, f);
    }
  }

  /** `x.log.(n-1)` -> `x.log.n` ... `x.log` -> `x.log.1`; each rename is atomic. */
  async #rotate(file: string): Promise<void> {
    const n = this.#o.rotations;
    if (n === 0) {
      await rm(file, { force: true });
      return;
    }
    for (let i = n - 1; i >= 1; i--) await rename(`${file}.${i}`, `${file}.${i + 1}`).catch(() => undefined);
    await rename(file, `${file}.1`).catch(() => undefined);
  }
}

function newestLines(lines: readonly string[], maxBytes: number): string {
  const kept: string[] = [];
  let total = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const b = Buffer.byteLength(lines[i]!) + 1;
    if (total + b > maxBytes) break;
    kept.push(lines[i]!);
    total += b;
  }
  return kept.length === 0 ? '' : `${kept.reverse().join('\n')}\n`;
}
