/**
 * HTTP PUT: hands the body to `pipeline.accept` and maps its verdict onto the wire. The body is
 * pulled lazily, so a request the pipeline refuses up front (too large by Content-Length, not a
 * writable name) is answered without reading it, and `100 Continue` is only sent once the
 * pipeline actually starts reading (RFC 9110 §10.1.1).
 */
import type { Logger } from '../../log/logger.js';
import type { FetchRequest, ProvisioningPipeline, UploadRequest, UploadResult } from '../../core/types.js';
import { etagFor } from './conditional.js';
import type { Exchange } from './exchange.js';
import { BASE_HEADERS, writeStatus } from './responses.js';
import { deniedAnswer, type StatusAnswer } from './transfer.js';

/** Runs one PUT through the pipeline and answers it. Never rejects. */
export async function handleUpload(
  x: Exchange,
  base: FetchRequest,
  pipeline: ProvisioningPipeline,
  logger: Logger,
): Promise<void> {
  const declared = declaredSize(x);
  const upload: UploadRequest = declared === undefined ? base : { ...base, declaredSize: declared };
  let result: UploadResult;
  try {
    result = await pipeline.accept(upload, requestBody(x));
  } catch (err) {
    logger.error({ err }, 'http upload: pipeline.accept threw');
    result = { kind: 'failed', message: 'internal error' };
  }
  if (x.closed) return;
  if (result.kind === 'stored') {
    // RFC 9110 §9.3.4: 201 for a new resource, 204 for a replaced one.
    x.res.writeHead(result.created ? 201 : 204, {
      ...BASE_HEADERS,
      ETag: etagFor(result.md5),
      ...(result.created ? { 'Content-Length': 0 } : {}),
    });
    x.res.end();
    return;
  }
  const { status, headers } = refusal(x, result);
  if (x.req.complete) {
    writeStatus(x.res, status, headers ? { headers } : {});
    return;
  }
  // The body was not read (or not to its end) and may be huge: answer, ask the client to close,
  // and linger before closing so the reply is not lost to a TCP reset.
  writeStatus(x.res, status, { ...(headers ? { headers } : {}), close: true, hold: true });
  linger(x);
}

function refusal(x: Exchange, result: Exclude<UploadResult, { kind: 'stored' }>): StatusAnswer {
  if (result.kind === 'failed') return { status: 500 };
  if (result.answer === 'not_allowed') return { status: 405, headers: { Allow: 'GET, HEAD' } };
  if (result.answer === 'too_large') return { status: 413 };
  return deniedAnswer(x, result.answer, result.realm);
}

const LINGER_BYTES = 256 * 1024;
const LINGER_MS = 2000;

/**
 * Closing a socket with unread input makes the kernel send a reset, which can destroy the reply
 * before the client reads it. So the reply is written in full but the response held open while
 * whatever the client is still sending is read and dropped; the response ends (and Node closes
 * the connection) when the client stops, or after a bounded number of bytes or milliseconds.
 */
function linger(x: Exchange): void {
  let seen = 0;
  const done = (): void => {
    clearTimeout(timer);
    x.req.off('data', onData);
    x.req.off('end', done);
    x.res.end();
  };
  const onData = (chunk: Buffer): void => {
    seen += chunk.length;
    if (seen > LINGER_BYTES) done();
  };
  const timer = setTimeout(done, LINGER_MS);
  x.res.once('close', () => clearTimeout(timer));
  x.req.on('data', onData);
  x.req.once('end', done);
  x.req.resume();
}

function declaredSize(x: Exchange): number | undefined {
  // Node has already rejected a malformed or repeated Content-Length (and one beside chunked).
  const value = x.req.headers['content-length'];
  if (value === undefined || x.req.headers['transfer-encoding'] !== undefined) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

async function* requestBody(x: Exchange): AsyncGenerator<Buffer> {
  if (/100-continue/i.test(x.req.headers.expect ?? '') && !x.res.headersSent) x.res.writeContinue();
  // destroyOnReturn false: a pipeline that stops reading at its cap must not destroy the socket,
  // or the 413 it wants to send would never leave.
  for await (const chunk of x.req.iterator({ destroyOnReturn: false })) yield chunk as Buffer;
}
