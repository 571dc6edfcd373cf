/**
 * Moves a file's bytes (or one range of them) onto a response whose headers are already set,
 * and reports what the client got. Memory files go out in one write; static files stream from
 * disk with backpressure, so a slow phone holds one 64 KiB buffer, not the firmware image.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { MemoryFile, StaticFile } from '../../core/types.js';
import type { Exchange } from './exchange.js';

/** Where the body bytes ended up. */
export interface BodyOutcome {
  readonly outcome: 'served' | 'aborted' | 'failed';
  readonly bytes: number;
  readonly md5?: string;
  /** The error code of a read failure, for the ledger's detail. */
  readonly error?: string;
}

const CHUNK = 64 * 1024;
const SINGLE_WRITE = 64 * 1024;

/** Sends `body[start..end]` (inclusive); `md5` is the whole body's, used when it all went. */
export async function sendMemoryBody(x: Exchange, file: MemoryFile, start: number, end: number): Promise<BodyOutcome> {
  const whole = start === 0 && end === file.body.length - 1;
  const slice = whole ? file.body : file.body.subarray(start, end + 1);
  // One end() call: headers and body leave in a single write, which is most of the cost of a
  // small response. A large body goes through write() so an abort can report flushed bytes.
  if (slice.length > SINGLE_WRITE) {
    x.write(slice);
    x.res.end();
  } else {
    x.res.end(slice);
  }
  // A client that took every byte and hung up before Node's 'finish' still got the whole body.
  if ((await x.settled) || x.flushed >= slice.length) {
    return { outcome: 'served', bytes: slice.length, md5: whole ? file.md5 : md5Of(slice) };
  }
  const bytes = Math.min(x.flushed, slice.length);
  return { outcome: 'aborted', bytes, ...(bytes > 0 ? { md5: md5Of(slice.subarray(0, bytes)) } : {}) };
}

/**
 * Streams `[start..end]` of an opened static file; takes ownership of `fh` and closes it.
 * A read error after the headers went out can only be signalled by cutting the connection.
 */
export async function sendStaticBody(
  x: Exchange,
  file: StaticFile,
  fh: FileHandle,
  start: number,
  end: number,
): Promise<BodyOutcome> {
  const length = end - start + 1;
  const whole = start === 0 && length === file.size;
  if (length <= 0) {
    await fh.close();
    x.res.end();
    if (!(await x.settled)) return { outcome: 'aborted', bytes: 0 };
    return whole ? { outcome: 'served', bytes: 0, md5: file.md5 } : { outcome: 'served', bytes: 0 };
  }
  // For a range the MD5 is of the bytes sent; for the whole file the pipeline already knows it.
  const hash = whole ? undefined : createHash('md5');
  const stream = fh.createReadStream({ start, end, highWaterMark: CHUNK, autoClose: true });
  let readError: NodeJS.ErrnoException | undefined;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (x.closed) break;
      hash?.update(chunk);
      if (!x.write(chunk) && !(await x.drain())) break;
    }
  } catch (err) {
    readError = err as NodeJS.ErrnoException;
  } finally {
    stream.destroy();
  }
  if (readError && !x.closed) x.res.destroy();
  else if (!x.closed) x.res.end();
  // A client that took every byte and hung up before Node's 'finish' still got the whole body.
  const finished = (await x.settled) || x.flushed >= length;
  if (finished && !readError) {
    return { outcome: 'served', bytes: length, md5: hash ? hash.digest('hex') : file.md5 };
  }
  const bytes = Math.min(x.flushed, length);
  const md5 = bytes > 0 ? await md5OfFileRange(file.absPath, start, bytes) : undefined;
  return {
    outcome: readError ? 'failed' : 'aborted',
    bytes,
    ...(md5 !== undefined ? { md5 } : {}),
    ...(readError ? { error: readError.code ?? 'read_error' } : {}),
  };
}

function md5Of(buf: Buffer): string {
  return createHash('md5').update(buf).digest('hex');
}

/**
 * MD5 of the first `bytes` sent from `start`, read back after an abort: hashing every full
 * download as it goes would cost CPU on the common path to serve the rare one.
 */
async function md5OfFileRange(absPath: string, start: number, bytes: number): Promise<string | undefined> {
  const hash = createHash('md5');
  try {
    for await (const chunk of createReadStream(absPath, { start, end: start + bytes - 1, highWaterMark: CHUNK })) {
      hash.update(chunk as Buffer);
    }
    return hash.digest('hex');
  } catch {
    return undefined;
  }
}
