/**
 * The device-side HTTP(S) server (design §1, §5): parses the wire, builds a FetchRequest and lets
 * the provisioning pipeline decide; it never sees inventory, templates or the ledger. Plain
 * `node:http` keeps the per-request cost near nginx's; there is no per-request logging here, the
 * pipeline writes the one line per fetch.
 */
import { createServer as createPlainServer, type IncomingMessage, type ServerOptions, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { plainAddress } from '../../core/net.js';
import type { FetchRequest, Peer, ProvisioningPipeline, Resolution, TransferResult } from '../../core/types.js';
import type { Logger } from '../../log/logger.js';
import { readCredentials } from './credentials.js';
import { Exchange, type ExchangeSettings } from './exchange.js';
import { NonceAuthority, type NonceOptions } from './nonce.js';
import { parseRequestTarget } from './request-target.js';
import { rawStatus, writeStatus } from './responses.js';
import { sendResolution } from './transfer.js';
import { handleUpload } from './upload.js';

export interface HttpServerOptions {
  readonly pipeline: ProvisioningPipeline;
  readonly logger: Logger;
  /** Idle keep-alive connections are closed after this long. */
  readonly keepAliveSeconds: number;
  /** PEM certificate chain and key: the server speaks HTTPS and reports protocol `https`. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /**
   * Longest request target the adapter parses; longer ones get 414. 4096 by default: targets
   * above the pipeline's own limit (1024 bytes) still reach it and get its 404, ledger record
   * and security log line; this cap only keeps absurd targets from being decoded at all.
   */
  readonly maxPathBytes?: number;
  /** Realm for 401 challenges when the pipeline names none; `provd` by default. */
  readonly realm?: string;
  /** How long `close()` lets in-flight transfers run before cutting them; 10 s by default. */
  readonly closeGraceMs?: number;
  /** Digest nonce secret, lifetime and clock. */
  readonly nonce?: NonceOptions;
}

export interface DeviceHttpServer {
  readonly protocol: 'http' | 'https';
  /** Binds and starts accepting; port 0 picks a free port, reported in the result. */
  listen(port: number, host: string): Promise<{ address: string; port: number }>;
  /**
   * Stops accepting, lets in-flight transfers finish until the grace deadline, then destroys
   * every connection left. Idempotent.
   */
  close(): Promise<void>;
}

/** Creates the server; no socket is opened until `listen`. */
export function createHttpServer(opts: HttpServerOptions): DeviceHttpServer {
  return new DeviceServer(opts);
}

type ClientError = Error & { code?: string; rawPacket?: Buffer };

/** Request-line errors Node answers before any handler runs, and how provd records them. */
const CLIENT_ERRORS: Readonly<Record<string, { status: number; reason: string }>> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'headers_too_large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'request_timeout' },
};

class DeviceServer implements DeviceHttpServer {
  readonly protocol: 'http' | 'https';
  readonly #pipeline: ProvisioningPipeline;
  readonly #logger: Logger;
  readonly #maxPathBytes: number;
  readonly #closeGraceMs: number;
  readonly #settings: ExchangeSettings;
  readonly #server: ReturnType<typeof createPlainServer>;
  /** Responses in progress per socket: a socket with one must not get a raw error response. */
  readonly #busy = new WeakMap<Duplex, number>();
  #inFlight = 0;
  #idleWaiters: Array<() => void> = [];
  #closing: Promise<void> | undefined;

  constructor(opts: HttpServerOptions) {
    this.protocol = opts.tls ? 'https' : 'http';
    this.#pipeline = opts.pipeline;
    this.#logger = opts.logger;
    this.#maxPathBytes = opts.maxPathBytes ?? 4096;
    this.#closeGraceMs = opts.closeGraceMs ?? 10_000;
    this.#settings = { nonces: new NonceAuthority(opts.nonce), realm: opts.realm ?? 'provd' };
    const serverOpts: ServerOptions = {
      keepAliveTimeout: opts.keepAliveSeconds * 1000,
      // Slow senders of headers or bodies (uploads are small) are cut; Node answers them 408.
      headersTimeout: 20_000,
      requestTimeout: 120_000,
      // Some embedded HTTP/1.1 clients omit Host; a provisioning server has no use for it.
      requireHostHeader: false,
    };
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => this.#onRequest(req, res);
    this.#server = opts.tls
      ? createTlsServer({ ...serverOpts, cert: opts.tls.cert, key: opts.tls.key }, onRequest)
      : createPlainServer(serverOpts, onRequest);
    // A socket that makes no progress for this long (a phone that stopped reading) is dropped.
    this.#server.timeout = 120_000;
    // With a listener, Node leaves `100 Continue` to us: it is sent when the body is first read.
    this.#server.on('checkContinue', onRequest);
    this.#server.on('clientError', (err: ClientError, socket: Duplex) => this.#onClientError(err, socket));
    this.#server.on('error', (err) => {
      if (this.#server.listening) this.#logger.error({ err, protocol: this.protocol }, 'http server error');
    });
  }

  listen(port: number, host: string): Promise<{ address: string; port: number }> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => {
        this.#server.off('listening', onListening);
        reject(err);
      };
      const onListening = (): void => {
        this.#server.off('error', onError);
        const a = this.#server.address() as AddressInfo;
        resolve({ address: a.address, port: a.port });
      };
      this.#server.once('error', onError);
      this.#server.once('listening', onListening);
      this.#server.listen(port, host);
    });
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    // Node 20's close() also drops idle keep-alive connections; busy ones finish below.
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#closeGraceMs);
    });
    const idle = this.#inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => this.#idleWaiters.push(r));
    await Promise.race([idle, deadline]);
    clearTimeout(timer);
    this.#server.closeAllConnections();
    await closed;
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    this.#inFlight++;
    this.#busy.set(socket, (this.#busy.get(socket) ?? 0) + 1);
    const x = new Exchange(req, res, this.#settings, () => {
      this.#busy.set(socket, (this.#busy.get(socket) ?? 1) - 1);
      if (--this.#inFlight === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
    });
    // While shutting down, no connection is kept for another request.
    if (this.#closing) res.setHeader('Connection', 'close');
    this.#exchange(x).catch((err: unknown) => {
      this.#logger.error({ err, protocol: this.protocol }, 'http request handler failed');
      if (!res.headersSent) writeStatus(res, 500, { close: true });
      else res.destroy();
    });
  }

  async #exchange(x: Exchange): Promise<void> {
    const { req, res } = x;
    const method = req.method ?? '';
    const target = req.url ?? '';
    const peer = peerOf(req.socket);
    const userAgent = req.headers['user-agent'];
    const parsed = parseRequestTarget(target, this.#maxPathBytes);
    if (!parsed.ok) {
      writeStatus(res, parsed.status, { headOnly: method === 'HEAD', close: bodyPending(req) });
      const refused: FetchRequest = {
        protocol: this.protocol,
        peer,
        path: parsed.rawPath,
        ...(userAgent !== undefined ? { userAgent } : {}),
        detail: { method, status: parsed.status },
      };
      this.#pipeline.refuse(refused, 'denied', parsed.reason, parsed.status);
      return;
    }
    const authorization = req.headers.authorization;
    const credentials =
      authorization === undefined ? undefined : readCredentials(authorization, method, target, this.#settings.nonces);
    x.credentials = credentials;
    const range = req.headers.range;
    const base: FetchRequest = {
      protocol: this.protocol,
      peer,
      path: parsed.path,
      headOnly: method === 'HEAD' ? true : undefined,
      userAgent,
      credentials,
      detail: range !== undefined ? { method, range } : { method },
    };
    if (method === 'GET' || method === 'HEAD') return this.#fetch(x, base);
    if (method === 'PUT') return handleUpload(x, base, this.#pipeline, this.#logger);
    writeStatus(res, 405, { headers: { Allow: 'GET, HEAD, PUT' }, close: bodyPending(req) });
    this.#pipeline.refuse({ ...base, detail: { method, status: 405 } }, 'denied', 'method_not_allowed', 405);
  }

  async #fetch(x: Exchange, req: FetchRequest): Promise<void> {
    let sent = false;
    const send = (resolution: Resolution): Promise<TransferResult> => {
      if (sent) return Promise.reject(new Error('send called twice for one request'));
      sent = true;
      return sendResolution(x, resolution);
    };
    await this.#pipeline.handle(req, send);
    // The pipeline recorded a failure without answering: the client still gets a reply.
    if (!sent && !x.res.headersSent) writeStatus(x.res, 500, { headOnly: x.method === 'HEAD' });
  }

  /**
   * Node's parser refused the request (raw space or control character in the target, bad
   * header, headers too large, too slow): answer it as Node would, and record it.
   */
  #onClientError(err: ClientError, socket: Duplex): void {
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, reason } = CLIENT_ERRORS[err.code ?? ''] ?? { status: 400, reason: 'malformed_request' };
    if ((this.#busy.get(socket) ?? 0) === 0) {
      socket.end(rawStatus(status), () => socket.destroy());
      setTimeout(() => socket.destroy(), 2000).unref();
    } else {
      socket.destroy();
    }
    const path = requestTargetOf(err.rawPacket, this.#maxPathBytes);
    if (path === undefined && status !== 408) return;
    this.#pipeline.refuse(
      { protocol: this.protocol, peer: peerOf(socket as Socket), path: path ?? '', detail: { status } },
      status === 408 ? 'failed' : 'denied',
      reason,
      status,
    );
  }
}

function peerOf(socket: { remoteAddress?: string | undefined; remotePort?: number | undefined }): Peer {
  return { address: plainAddress(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0 };
}

/** True when the request announced a body that has not fully arrived yet. */
function bodyPending(req: IncomingMessage): boolean {
  if (req.complete) return false;
  const len = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (len !== undefined && len !== '0');
}

/** The target of a request line Node could not parse, for the ledger; raw, cut to the limit. */
function requestTargetOf(raw: Buffer | undefined, max: number): string | undefined {
  if (!raw || raw.length === 0) return undefined;
  const line = raw.subarray(0, Math.min(raw.length, max + 64)).toString('latin1').split('\r\n', 1)[0] ?? '';
  const parts = line.split(' ');
  // `GET /Folder Path/a.cfg HTTP/1.1`: everything between the method and the version.
  const target = parts.length >= 3 && /^HTTP\/\d/.test(parts[parts.length - 1] ?? '')
    ? parts.slice(1, -1).join(' ')
    : parts.slice(1).join(' ');
  return target.slice(0, max);
}
