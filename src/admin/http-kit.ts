/** Small response helpers for the admin listener: JSON with fixed headers, errors with a body. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ParamProblem } from './params.js';

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, contentType: string, text: string | Buffer, extra: Record<string, string> = {}): void {
  const body = typeof text === 'string' ? Buffer.from(text) : text;
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': contentType, 'content-length': body.length, ...extra });
  res.end(body);
}

export function sendError(res: ServerResponse, status: number, error: string, extra: Record<string, unknown> = {}): void {
  sendJson(res, status, { error, ...extra });
}

export function badParams(res: ServerResponse, problems: readonly ParamProblem[]): void {
  sendJson(res, 400, { error: 'bad request', problems });
}

// A resync of a few thousand MACs by list fits; anything larger is not an admin's request.
const MAX_BODY = 1024 * 1024;

/** Reads a JSON request body of at most 1 MiB; undefined (and a 4xx sent) when it is not one. */
export async function readJson(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    sendError(res, 415, 'expected content-type application/json');
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) {
      sendError(res, 413, `request body over ${MAX_BODY} bytes`);
      return undefined;
    }
    chunks.push(c);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    sendError(res, 400, 'request body is not valid JSON');
    return undefined;
  }
}
