/**
 * Where a read transfer's blocks come from. Memory files are sliced in place; static files are
 * read from disk in chunks of many blocks, one chunk ahead of the window, so a firmware image is
 * not read one 512-byte block at a time and a slow client holds at most a few chunks.
 */
import type { FileHandle } from 'node:fs/promises';

export interface BlockSource {
  /** Bytes the transfer will send (after netascii conversion). */
  readonly size: number;
  /** Payload of data block `index` (1-based, unbounded: not the wire's 16-bit number). */
  block(index: number): Buffer | Promise<Buffer>;
  close(): Promise<void>;
}

/** A body already in memory. */
export class MemoryBlocks implements BlockSource {
  readonly size: number;

  constructor(
    readonly body: Buffer,
    private readonly blksize: number,
  ) {
    this.size = body.length;
  }

  block(index: number): Buffer {
    const start = (index - 1) * this.blksize;
    return this.body.subarray(start, Math.min(start + this.blksize, this.size));
  }

  async close(): Promise<void> {}
}

const TARGET_CHUNK_BYTES = 64 * 1024;
/** Chunks kept: the one before (a partial-window rewind may go back), the current, the next. */
const KEEP_CHUNKS = 3;

/** An open static file; takes ownership of the handle. */
export class FileBlocks implements BlockSource {
  readonly #fh: FileHandle;
  readonly #blksize: number;
  readonly #blocksPerChunk: number;
  readonly #chunks = new Map<number, Promise<Buffer>>();
  /** The chunks whose read finished, for a synchronous path on the common case. */
  readonly #ready = new Map<number, Buffer>();
  #closed = false;

  constructor(
    fh: FileHandle,
    readonly size: number,
    blksize: number,
    windowsize: number,
  ) {
    this.#fh = fh;
    this.#blksize = blksize;
    // A chunk covers at least one window, so a window never waits on more than two reads.
    this.#blocksPerChunk = Math.max(windowsize, Math.ceil(TARGET_CHUNK_BYTES / blksize));
  }

  /** A block from a chunk already read comes back synchronously; otherwise once it is read. */
  block(index: number): Buffer | Promise<Buffer> {
    const chunk = Math.floor((index - 1) / this.#blocksPerChunk);
    const offset = ((index - 1) % this.#blocksPerChunk) * this.#blksize;
    const slice = (data: Buffer): Buffer => data.subarray(offset, Math.min(offset + this.#blksize, data.length));
    const ready = this.#ready.get(chunk);
    if (ready) return slice(ready);
    const pending = this.#chunk(chunk);
    // Read ahead: the next chunk is on its way while this window is on the wire.
    if ((chunk + 1) * this.#blocksPerChunk * this.#blksize < this.size) void this.#chunk(chunk + 1).catch(() => undefined);
    return pending.then(slice);
  }

  #chunk(n: number): Promise<Buffer> {
    let p = this.#chunks.get(n);
    if (!p) {
      p = this.#read(n);
      this.#chunks.set(n, p);
      p.then((data) => {
        if (this.#chunks.get(n) === p) this.#ready.set(n, data);
      }, () => undefined);
      for (const k of [...this.#chunks.keys()]) {
        if (this.#chunks.size > KEEP_CHUNKS && k < n - 1) {
          this.#chunks.delete(k);
          this.#ready.delete(k);
        }
      }
    }
    return p;
  }

  async #read(n: number): Promise<Buffer> {
    if (this.#closed) throw new Error('file closed');
    const start = n * this.#blocksPerChunk * this.#blksize;
    const length = Math.max(0, Math.min(this.#blocksPerChunk * this.#blksize, this.size - start));
    const buf = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await this.#fh.read(buf, got, length - got, start + got);
      if (bytesRead === 0) throw Object.assign(new Error('file shrank while serving'), { code: 'ECHANGED' });
      got += bytesRead;
    }
    return buf;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Let reads in flight settle before the handle goes, or they would fail with EBADF.
    await Promise.allSettled([...this.#chunks.values()]);
    this.#chunks.clear();
    this.#ready.clear();
    await this.#fh.close().catch(() => undefined);
  }
}
