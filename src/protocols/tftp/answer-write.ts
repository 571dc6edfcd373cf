/**
 * A WRQ through `pipeline.accept`: the policy decides whether this client may write this name
 * (Yealink `<mac>-local.cfg` and the like), the store caps the size and writes atomically, and
 * this adapter maps the verdict onto the wire.
 */
import type { FetchRequest, ProvisioningPipeline, UploadRequest, UploadResult } from '../../core/types.js';
import { encodeError, encodeOack, ERR, type RequestPacket } from './codec.js';
import { negotiate, type OptionLimits } from './options.js';
import type { Channel, RetransmitPolicy } from './read-transfer.js';
import { WriteReceiver } from './write-transfer.js';

export interface UploadContext {
  readonly pipeline: ProvisioningPipeline;
  readonly request: RequestPacket;
  readonly req: FetchRequest;
  readonly channel: Channel;
  readonly limits: OptionLimits;
  readonly retransmit: RetransmitPolicy;
  /** Filled in so the server can route packets and abort. */
  readonly entry: { onPacket?: (b: Buffer) => void; abort?: (m: string) => void };
  readonly onGone: (gone: () => void) => void;
}

/** Runs one WRQ to its end; never rejects. */
export async function runUpload(ctx: UploadContext): Promise<void> {
  if (ctx.request.mode === 'netascii') {
    // Phones upload in octet; converting line ends of a partial upload is not worth the risk.
    ctx.channel.send(encodeError(ERR.ILLEGAL_OPERATION, 'netascii uploads are not supported, use octet'));
    ctx.pipeline.refuse(ctx.req, 'denied', 'netascii_upload', ERR.ILLEGAL_OPERATION);
    return;
  }
  const n = negotiate(ctx.request.options, ctx.limits, undefined);
  const receiver = new WriteReceiver({
    channel: ctx.channel,
    blksize: n.blksize,
    windowsize: n.windowsize,
    ...(n.oack.size > 0 ? { oack: encodeOack(n.oack) } : {}),
    retransmit: ctx.retransmit,
  });
  ctx.entry.onPacket = (b) => receiver.onPacket(b);
  ctx.entry.abort = (m) => receiver.abort(m);
  ctx.onGone(() => receiver.peerGone());
  const upload: UploadRequest = {
    ...ctx.req,
    ...(n.declaredSize !== undefined ? { declaredSize: n.declaredSize } : {}),
    detail: { ...ctx.req.detail, options: Object.fromEntries(n.oack), blksize: n.blksize, windowsize: n.windowsize },
  };
  let result: UploadResult;
  try {
    result = await ctx.pipeline.accept(upload, receiver.body());
  } catch {
    result = { kind: 'failed', message: 'internal error' };
  }
  if (result.kind === 'stored') {
    receiver.acknowledgeLast();
    return;
  }
  if (result.kind === 'failed') {
    receiver.refuse(ERR.NOT_DEFINED, 'upload failed');
    return;
  }
  // RFC 1350 codes: 3 for the size cap, 1 where a denial must look like a missing file, else 2.
  if (result.answer === 'too_large') receiver.refuse(ERR.DISK_FULL, 'Disk full or allocation exceeded');
  else if (result.answer === 'not_found') receiver.refuse(ERR.FILE_NOT_FOUND, 'File not found');
  else receiver.refuse(ERR.ACCESS_VIOLATION, 'Access violation');
}
