/**
 * The `send` the HTTP adapter hands to the pipeline: maps a Resolution onto the wire (design §5)
 * and reports the TransferResult. Conditional requests and ranges are settled here, before any
 * byte of the body moves.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { OutgoingHttpHeaders } from 'node:http';
import type { Resolution, ServedFile, TransferResult } from '../../core/types.js';
import { challengeHeaders } from './challenge.js';
import { etagFor, httpDate, ifNoneMatchHits, ifRangeAllows, notModifiedSince } from './conditional.js';
import type { Exchange } from './exchange.js';
import { sendMemoryBody, sendStaticBody, type BodyOutcome } from './file-body.js';
import { chooseRange } from './range.js';
import { BASE_HEADERS, writeStatus } from './responses.js';

/** Answers a resolution on the exchange's response. Never rejects. */
export async function sendResolution(x: Exchange, resolution: Resolution): Promise<TransferResult> {
  const headOnly = x.method === 'HEAD';
  switch (resolution.kind) {
    case 'file':
      return sendFile(x, resolution.file, headOnly);
    case 'not_found':
      writeStatus(x.res, 404, { headOnly });
      return refused(x, 'not_found', 404);
    case 'denied': {
      const { status, headers } = deniedAnswer(x, resolution.answer, resolution.realm);
      writeStatus(x.res, status, { headOnly, ...(headers ? { headers } : {}) });
      return refused(x, 'denied', status);
    }
    case 'failed':
      // Something broke inside provd: a generic answer, the details are in the daemon log.
      writeStatus(x.res, 500, { headOnly });
      return { outcome: 'failed', bytes: 0, delivered: false, status: 500, detail: { method: x.method, status: 500 } };
  }
}

/** Status and headers answering a denial; shared with uploads. */
export interface StatusAnswer {
  readonly status: number;
  readonly headers?: OutgoingHttpHeaders;
}

/**
 * 401 with both challenges, 403, or a 404 identical to a real miss so that a scanner learns
 * nothing.
 */
export function deniedAnswer(x: Exchange, answer: 'not_found' | 'auth' | 'forbidden', realm: string | undefined): StatusAnswer {
  if (answer === 'auth') {
    const www = challengeHeaders(realm ?? x.settings.realm, x.settings.nonces, x.credentials?.stale ?? false);
    return { status: 401, headers: { 'WWW-Authenticate': www } };
  }
  return { status: answer === 'forbidden' ? 403 : 404 };
}

function refused(x: Exchange, outcome: 'not_found' | 'denied', status: number): TransferResult {
  return { outcome, bytes: 0, delivered: false, status, detail: { method: x.method, status } };
}

async function sendFile(x: Exchange, file: ServedFile, headOnly: boolean): Promise<TransferResult> {
  const { req, res } = x;
  const method = x.method;
  const size = file.source === 'static' ? file.size : file.body.length;
  const { etag, lastModified } = validatorsOf(file);
  const headers: OutgoingHttpHeaders = {
    Server: BASE_HEADERS.Server,
    'X-Content-Type-Options': BASE_HEADERS['X-Content-Type-Options'],
    ETag: etag,
    'Last-Modified': lastModified,
    'Accept-Ranges': 'bytes',
  };

  // RFC 9110 §13.2.2: If-None-Match first; If-Modified-Since only without it.
  const inm = req.headers['if-none-match'];
  const ims = req.headers['if-modified-since'];
  const unchanged =
    inm !== undefined ? ifNoneMatchHits(inm, etag) : ims !== undefined && notModifiedSince(ims, file.mtimeMs);
  if (unchanged) {
    res.writeHead(304, headers);
    res.end();
    // The client proved it holds the current body.
    return { outcome: 'served', bytes: 0, delivered: true, status: 304, detail: { method, status: 304 } };
  }

  headers['Content-Type'] = file.contentType;
  if (headOnly) {
    headers['Content-Length'] = size;
    res.writeHead(200, headers);
    res.end();
    return { outcome: 'served', bytes: 0, delivered: false, status: 200, detail: { method, status: 200 } };
  }

  // §14.2: Range is defined for GET only, and If-Range can veto it.
  const rangeHeader = req.headers.range;
  const ifRange = headerValue(req.headers['if-range']);
  const honoured = rangeHeader !== undefined && (ifRange === undefined || ifRangeAllows(ifRange, etag, file.mtimeMs));
  const choice = honoured ? chooseRange(rangeHeader, size) : ({ kind: 'full' } as const);
  if (choice.kind === 'unsatisfiable') {
    const contentRange = `bytes */${size}`;
    writeStatus(res, 416, { headers: { ETag: etag, 'Accept-Ranges': 'bytes', 'Content-Range': contentRange } });
    return { outcome: 'served', bytes: 0, delivered: false, status: 416, detail: { method, status: 416, range: contentRange } };
  }
  const start = choice.kind === 'partial' ? choice.start : 0;
  const end = choice.kind === 'partial' ? choice.end : size - 1;
  const status = choice.kind === 'partial' ? 206 : 200;
  const contentRange = choice.kind === 'partial' ? `bytes ${start}-${end}/${size}` : undefined;
  if (contentRange) headers['Content-Range'] = contentRange;
  headers['Content-Length'] = end - start + 1;
  const detail = { method, status, ...(contentRange ? { range: contentRange } : {}) };

  if (x.closed) return { outcome: 'aborted', bytes: 0, delivered: false, status, detail };

  let body: BodyOutcome;
  if (file.source === 'static') {
    let fh: FileHandle | undefined;
    try {
      fh = await open(file.absPath, 'r');
      // The pipeline's stat (and MD5) must still describe the file, or the headers would lie.
      if ((await fh.stat()).size !== file.size) throw Object.assign(new Error('file changed'), { code: 'ECHANGED' });
    } catch (err) {
      await fh?.close().catch(() => undefined);
      writeStatus(res, 500);
      const code = (err as NodeJS.ErrnoException).code ?? 'open_error';
      return { outcome: 'failed', bytes: 0, delivered: false, status: 500, detail: { method, status: 500, error: code } };
    }
    res.writeHead(status, headers);
    body = await sendStaticBody(x, file, fh, start, end);
  } else {
    res.writeHead(status, headers);
    body = await sendMemoryBody(x, file, start, end);
  }
  const served = body.outcome === 'served';
  return {
    outcome: body.outcome,
    bytes: body.bytes,
    ...(body.md5 !== undefined ? { md5: body.md5 } : {}),
    // True when the client now holds the whole file, whether by a 200 or a 206 that spans it.
    delivered: served && start === 0 && end === size - 1,
    status,
    detail: body.error ? { ...detail, error: body.error } : detail,
  };
}

/**
 * The pipeline serves the same file object many times (generated files are cached by MD5), so
 * its header strings are made once per object rather than once per request.
 */
const validatorCache = new WeakMap<ServedFile, { readonly etag: string; readonly lastModified: string }>();

function validatorsOf(file: ServedFile): { readonly etag: string; readonly lastModified: string } {
  let v = validatorCache.get(file);
  if (!v) {
    v = { etag: etagFor(file.md5), lastModified: httpDate(file.mtimeMs) };
    validatorCache.set(file, v);
  }
  return v;
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
