/**
 * The `send` a TFTP read hands to the pipeline: maps a Resolution onto the wire (design §5) and
 * reports the TransferResult with what the ledger needs (bytes acknowledged, retransmissions,
 * options negotiated, how the transfer ended).
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { Resolution, ServedFile, StaticFile, TransferResult } from '../../core/types.js';
import { FileBlocks, MemoryBlocks, type BlockSource } from './blocks.js';
import { encodeError, encodeOack, ERR, toNetascii, type RequestPacket } from './codec.js';
import { negotiate, type OptionLimits } from './options.js';
import { ReadTransfer, type Channel, type ReadReport, type RetransmitPolicy } from './read-transfer.js';
import { retransmitFor } from './retransmit.js';

/** Largest static file served in netascii (converted in memory); firmware goes in octet. */
const NETASCII_MAX_BYTES = 16 * 1024 * 1024;

export interface ReadContext {
  readonly request: RequestPacket;
  readonly channel: Channel;
  readonly limits: OptionLimits;
  readonly retransmit: RetransmitPolicy;
  /** Called with the running transfer, so the server can feed it packets and abort it. */
  readonly started: (t: ReadTransfer) => void;
}

/** Answers one resolution; never rejects. */
export async function answerRead(ctx: ReadContext, resolution: Resolution): Promise<TransferResult> {
  switch (resolution.kind) {
    case 'file':
      return sendFile(ctx, resolution.file);
    case 'not_found':
      return refuse(ctx, ERR.FILE_NOT_FOUND, 'File not found', 'not_found');
    case 'denied':
      // A denial answered as not_found is byte-identical to a real miss, so a scanner learns
      // nothing; TFTP has no way to ask for credentials, so `auth` is an access violation.
      return resolution.answer === 'not_found'
        ? refuse(ctx, ERR.FILE_NOT_FOUND, 'File not found', 'denied')
        : refuse(ctx, ERR.ACCESS_VIOLATION, 'Access violation', 'denied');
    case 'failed':
      return refuse(ctx, ERR.NOT_DEFINED, 'internal error', 'failed');
  }
}

function refuse(ctx: ReadContext, code: number, message: string, outcome: 'not_found' | 'denied' | 'failed'): TransferResult {
  ctx.channel.send(encodeError(code, message));
  return { outcome, bytes: 0, delivered: false, status: code };
}

async function sendFile(ctx: ReadContext, file: ServedFile): Promise<TransferResult> {
  let body: Buffer | undefined;
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    if (file.source === 'static') {
      fh = await open(file.absPath, 'r');
      // The pipeline's stat (and MD5) must still describe the file, or tsize would lie.
      if ((await fh.stat()).size !== file.size) throw Object.assign(new Error('file changed'), { code: 'ECHANGED' });
      if (ctx.request.mode === 'netascii') {
        if (file.size > NETASCII_MAX_BYTES) throw Object.assign(new Error('too large for netascii'), { code: 'ENETASCII' });
        body = toNetascii(await fh.readFile());
        await fh.close();
        fh = undefined;
      }
    } else {
      body = ctx.request.mode === 'netascii' ? toNetascii(file.body) : file.body;
    }
  } catch (err) {
    await fh?.close().catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code ?? 'open_error';
    const message = code === 'ENETASCII' ? 'file too large for netascii, use octet' : 'read error';
    ctx.channel.send(encodeError(ERR.NOT_DEFINED, message));
    return { outcome: 'failed', bytes: 0, delivered: false, status: ERR.NOT_DEFINED, detail: { error: code } };
  }
  const size = body ? body.length : (file as StaticFile).size;

  const n = negotiate(ctx.request.options, ctx.limits, size);
  const source: BlockSource = body ? new MemoryBlocks(body, n.blksize) : new FileBlocks(fh!, size, n.blksize, n.windowsize);
  const transfer = new ReadTransfer({
    channel: ctx.channel,
    source,
    blksize: n.blksize,
    windowsize: n.windowsize,
    ...(n.oack.size > 0 ? { oack: encodeOack(n.oack) } : {}),
    retransmit: retransmitFor(ctx.retransmit, n.timeoutSeconds),
  });
  ctx.started(transfer);
  const report = await transfer.run();
  await source.close();

  const complete = report.end === 'completed';
  const detail = {
    options: Object.fromEntries(n.oack),
    ...(n.ignored.length > 0 ? { ignored: n.ignored } : {}),
    blksize: n.blksize,
    windowsize: n.windowsize,
    end: report.end,
    retransmissions: report.retransmissions,
    ...(report.duplicateAcks > 0 ? { duplicate_acks: report.duplicateAcks } : {}),
    ...(!complete && report.lastBlockSent ? { last_block_sent: true } : {}),
    ...(report.clientError ? { client_error: report.clientError } : {}),
    ...(report.readError ? { error: report.readError } : {}),
  };
  return {
    outcome: complete ? 'served' : report.end === 'read_error' ? 'failed' : 'aborted',
    bytes: report.bytesAcked,
    ...md5Of(file, body, report, complete),
    delivered: complete,
    detail,
  };
}

/**
 * MD5 of exactly the bytes acknowledged. A complete octet transfer is the pipeline's MD5; a
 * partial one of a memory body is hashed here; a partial static one is left out (reading the
 * file back for a rare abort is not worth a second disk pass during a boot storm).
 */
function md5Of(file: ServedFile, body: Buffer | undefined, report: ReadReport, complete: boolean): { md5?: string } {
  if (report.bytesAcked === 0) return {};
  const sameBytes = body === undefined || (file.source !== 'static' && body === file.body);
  if (complete && sameBytes) return { md5: file.md5 };
  if (!body) return {};
  return { md5: createHash('md5').update(body.subarray(0, report.bytesAcked)).digest('hex') };
}
