/**
 * Short, fixed status responses. Each status always has the same bytes, so a denial answered as
 * "not found" cannot be told from a real miss by its body, length or headers.
 */
import { STATUS_CODES, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';

/** Headers on every response: a fixed Server and no content sniffing (no X-Powered-By). */
export const BASE_HEADERS: Readonly<OutgoingHttpHeaders> = Object.freeze({
  Server: 'provd',
  'X-Content-Type-Options': 'nosniff',
});

const TEXT = 'text/plain; charset=utf-8';
const bodies = new Map<number, Buffer>();

function bodyFor(status: number): Buffer {
  let body = bodies.get(status);
  if (!body) {
    body = Buffer.from(`${status} ${STATUS_CODES[status] ?? 'Error'}\n`, 'latin1');
    bodies.set(status, body);
  }
  return body;
}

export interface StatusOptions {
  /** HEAD: headers only, with the Content-Length the body would have had. */
  readonly headOnly?: boolean;
  readonly headers?: OutgoingHttpHeaders;
  /** Ask the client to close; used when an unread request body must not be drained. */
  readonly close?: boolean;
  /** Write the whole response but leave it open; the caller ends it (see upload lingering). */
  readonly hold?: boolean;
}

/** Writes a complete status response with its fixed text body. */
export function writeStatus(res: ServerResponse, status: number, opts: StatusOptions = {}): void {
  const body = bodyFor(status);
  const headers: OutgoingHttpHeaders = {
    ...BASE_HEADERS,
    'Content-Type': TEXT,
    'Content-Length': body.length,
    ...opts.headers,
  };
  if (opts.close) headers.Connection = 'close';
  res.writeHead(status, headers);
  if (opts.headOnly) res.end();
  else if (opts.hold) res.write(body);
  else res.end(body);
}

/** The raw bytes of a status response for a socket Node's HTTP layer has given up on. */
export function rawStatus(status: number): Buffer {
  const body = bodyFor(status);
  const head =
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
    `Server: provd\r\nX-Content-Type-Options: nosniff\r\nContent-Type: ${TEXT}\r\n` +
    `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
