/**
 * RETR, STOR and the listings: the moves over the data connection, with the pipeline deciding
 * what may be read or written. Every RETR and STOR leaves one ledger record through the pipeline
 * (served, stored, aborted, refused), exactly as HTTP does.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Duplex } from 'node:stream';
import type { TreeLister } from '../../core/tree.js';
import type { FetchRequest, ProvisioningPipeline, Resolution, ServedFile, TransferResult, UploadResult } from '../../core/types.js';
import type { Logger } from '../../log/logger.js';
import type { DataChannel } from './data.js';
import { formatListing } from './listing.js';

/** What a transfer needs from its session. */
export interface TransferContext {
  readonly pipeline: ProvisioningPipeline;
  readonly tree: TreeLister;
  readonly data: DataChannel;
  readonly logger: Logger;
  readonly protect: boolean;
  reply(code: number, text: string): void;
  /** Set by ABOR: the running transfer stops and is recorded as aborted. */
  readonly abort: { aborted: boolean };
}

/** The data connection was cut (ABOR, reset, stall): recorded as `aborted`. */
function abortedError(cause?: unknown): Error {
  return Object.assign(new Error('transfer aborted', { cause }), { code: 'ABORTED' });
}

async function openData(ctx: TransferContext, opening: string): Promise<Duplex | undefined> {
  ctx.reply(150, opening);
  try {
    return await ctx.data.connect(ctx.protect);
  } catch (err) {
    ctx.reply(425, "Can't open data connection.");
    ctx.logger.debug({ err }, 'ftp data connection failed');
    return undefined;
  }
}

/** Writes `chunk`, waiting for drain; false when the connection went away. */
function writeChunk(sock: Duplex, chunk: Buffer): Promise<boolean> {
  if (sock.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = (): void => resolve(false);
    sock.once('close', onClose);
    sock.write(chunk, (err) => {
      sock.off('close', onClose);
      resolve(!err);
    });
  });
}

function finish(sock: Duplex): Promise<boolean> {
  return new Promise((resolve) => {
    if (sock.destroyed) return resolve(false);
    sock.once('error', () => resolve(false));
    sock.end(() => resolve(true));
  });
}

export async function retrieve(ctx: TransferContext, req: FetchRequest, rest: number): Promise<void> {
  await ctx.pipeline.handle(req, (res) => sendResolution(ctx, res, rest));
}

async function sendResolution(ctx: TransferContext, res: Resolution, rest: number): Promise<TransferResult> {
  const detail = { command: 'RETR', ...(rest > 0 ? { rest } : {}) };
  switch (res.kind) {
    case 'not_found':
      ctx.reply(550, 'No such file.');
      return { outcome: 'not_found', bytes: 0, delivered: false, status: 550, detail };
    case 'denied':
      // Like a missing file: a scanner must not learn that a secret file exists.
      ctx.reply(550, 'No such file.');
      return { outcome: 'denied', bytes: 0, delivered: false, status: 550, detail };
    case 'failed':
      ctx.reply(451, 'Local error in processing.');
      return { outcome: 'failed', bytes: 0, delivered: false, status: 451, detail };
    case 'file':
      return sendFile(ctx, res.file, rest, detail);
  }
}

async function sendFile(ctx: TransferContext, file: ServedFile, rest: number, detail: Record<string, unknown>): Promise<TransferResult> {
  const size = file.source === 'static' ? file.size : file.body.length;
  if (rest > size) {
    ctx.reply(554, `Restart point ${rest} is beyond the end of the file (${size} bytes).`);
    return { outcome: 'failed', bytes: 0, delivered: false, status: 554, detail: { ...detail, error: 'rest_beyond_end' } };
  }
  const sock = await openData(ctx, `Opening BINARY mode data connection for ${file.name} (${size - rest} bytes).`);
  if (!sock) return { outcome: 'failed', bytes: 0, delivered: false, status: 425, detail: { ...detail, error: 'data_connection' } };
  const out = new Flushed(sock);
  let readError: string | undefined;
  if (file.source === 'static') {
    if (size > rest) {
      const stream = createReadStream(file.absPath, { start: rest, end: size - 1, highWaterMark: CHUNK });
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          if (ctx.abort.aborted || sock.destroyed) break;
          if (!out.write(chunk) && !(await out.drain())) break;
        }
      } catch (err) {
        readError = (err as NodeJS.ErrnoException).code ?? 'read_error';
      } finally {
        stream.destroy();
      }
    }
  } else if (!ctx.abort.aborted) {
    out.write(file.body.subarray(rest));
  }
  const ok = !readError && !ctx.abort.aborted && (await finish(sock)) && out.bytes === size - rest;
  if (!ok) {
    sock.destroy();
    ctx.reply(426, 'Connection closed; transfer aborted.');
    const md5 = out.bytes > 0 ? await md5OfRange(file, rest, out.bytes) : undefined;
    return {
      outcome: readError ? 'failed' : 'aborted',
      bytes: out.bytes,
      ...(md5 !== undefined ? { md5 } : {}),
      delivered: false,
      status: 426,
      detail: readError ? { ...detail, error: readError } : detail,
    };
  }
  ctx.reply(226, 'Transfer complete.');
  // The whole file's MD5 is known already; only a resumed transfer hashes what it sent.
  const md5 = rest === 0 ? file.md5 : await md5OfRange(file, rest, size - rest);
  return { outcome: 'served', bytes: size - rest, ...(md5 !== undefined ? { md5 } : {}), delivered: rest === 0, status: 226, detail };
}

const CHUNK = 1024 * 1024;

/** Counts the bytes the kernel took (write callbacks), which is what an abort reports. */
class Flushed {
  bytes = 0;
  constructor(private readonly sock: Duplex) {}

  write(chunk: Buffer): boolean {
    return this.sock.write(chunk, (err) => {
      if (!err) this.bytes += chunk.length;
    });
  }

  drain(): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        this.sock.off('drain', onDrain);
        this.sock.off('close', onClose);
        resolve(ok);
      };
      const onDrain = (): void => done(true);
      const onClose = (): void => done(false);
      this.sock.once('drain', onDrain);
      this.sock.once('close', onClose);
    });
  }
}

/** MD5 of `bytes` bytes from `start`, hashed after the fact so full downloads never pay for it. */
async function md5OfRange(file: ServedFile, start: number, bytes: number): Promise<string | undefined> {
  if (file.source !== 'static') return createHash('md5').update(file.body.subarray(start, start + bytes)).digest('hex');
  const hash = createHash('md5');
  try {
    for await (const chunk of createReadStream(file.absPath, { start, end: start + bytes - 1, highWaterMark: CHUNK })) {
      hash.update(chunk as Buffer);
    }
    return hash.digest('hex');
  } catch {
    return undefined;
  }
}

export async function store(ctx: TransferContext, req: FetchRequest): Promise<void> {
  let sock: Duplex | undefined;
  let opened = false;
  let noData = false;
  // The pipeline pulls the body only once it has decided the name may be written, so a refused
  // STOR is answered 550 before any data connection is used.
  async function* body(): AsyncGenerator<Buffer> {
    opened = true;
    sock = await openData(ctx, 'Ok to send data.');
    if (!sock) {
      noData = true;
      throw abortedError();
    }
    try {
      for await (const chunk of sock) {
        if (ctx.abort.aborted) throw abortedError();
        yield chunk as Buffer;
      }
    } catch (err) {
      throw (err as { code?: string }).code === 'ABORTED' ? err : abortedError(err);
    }
    if (ctx.abort.aborted) throw abortedError();
  }
  let result: UploadResult;
  try {
    result = await ctx.pipeline.accept({ ...req, detail: { command: 'STOR' } }, body());
  } catch {
    result = { kind: 'failed', message: 'internal error' };
  }
  sock?.destroy();
  if (noData) return; // 425 already sent
  if (result.kind === 'stored') return ctx.reply(226, `Transfer complete (${result.bytes} bytes, MD5 ${result.md5}).`);
  if (result.kind === 'failed') {
    return result.message === 'transfer aborted'
      ? ctx.reply(426, 'Connection closed; transfer aborted.')
      : ctx.reply(451, 'Local error in processing.');
  }
  if (result.answer === 'too_large') return ctx.reply(552, result.message ?? 'Exceeded storage allocation.');
  ctx.reply(550, opened ? 'Upload refused.' : 'Permission denied.');
}

export async function listing(ctx: TransferContext, req: FetchRequest, command: 'LIST' | 'NLST' | 'MLSD', now: number): Promise<boolean> {
  const result = await ctx.tree.list(req);
  if (result.kind === 'failed') {
    ctx.reply(451, 'Local error in processing.');
    return true;
  }
  if (result.kind !== 'dir') {
    ctx.reply(550, 'No such directory.');
    return result.kind !== 'denied';
  }
  const sock = await openData(ctx, `Here comes the directory listing.`);
  if (!sock) return true;
  const ok = !ctx.abort.aborted && (await writeChunk(sock, formatListing(command, result.entries, now))) && (await finish(sock));
  if (!ok) {
    sock.destroy();
    ctx.reply(426, 'Connection closed; transfer aborted.');
  } else {
    ctx.reply(226, 'Directory send OK.');
  }
  return true;
}
