/**
 * The admin listener (node:http, as the device side; docs/decisions/0001): token auth, the JSON
 * API, /metrics, live events and the dashboard. A request without a valid token gets a bare 401
 * that says nothing about which tokens exist or why this one failed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { parseMac } from '../core/mac.js';
import { DASHBOARD_HTML, DASHBOARD_JS } from './dashboard.js';
import { sendError, sendJson, sendText } from './http-kit.js';
import type { LiveEvents } from './live.js';
import type { Metrics } from './metrics.js';
import { OPENAPI } from './openapi.js';
import * as routes from './routes.js';
import { bearer, matchToken, type Scope, type TokenEntry } from './tokens.js';

export interface AdminServerDeps extends routes.RouteDeps {
  readonly tokens: readonly TokenEntry[];
  readonly live: LiveEvents;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** True once the daemon serves (inventory loaded, listeners bound). */
  readonly ready: () => boolean;
}

export class AdminServer {
  readonly #d: AdminServerDeps;
  readonly #server: Server;

  constructor(deps: AdminServerDeps) {
    this.#d = deps;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        this.#d.logger.error({ err, url: req.url }, 'admin request failed');
        if (!res.headersSent) sendError(res, 500, 'internal error');
        else res.destroy();
      });
    });
    this.#server.headersTimeout = 10_000;
    this.#server.requestTimeout = 30_000;
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve(this.#server.address() as AddressInfo);
      });
    });
  }

  close(): Promise<void> {
    this.#d.live.stop();
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://admin.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';

    // Unauthenticated: liveness for orchestrators, the API description, the (data-less) page.
    if (method === 'GET' && path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (method === 'GET' && path === '/readyz') {
      return this.#d.ready() ? sendJson(res, 200, { status: 'ready' }) : sendJson(res, 503, { status: 'starting' });
    }
    if (method === 'GET' && path === '/api/openapi.json') return sendJson(res, 200, OPENAPI);
    if (method === 'GET' && (path === '/' || path === '/dashboard' || path.startsWith('/devices/'))) {
      return sendText(res, 200, 'text/html; charset=utf-8', DASHBOARD_HTML, {
        // No framing (the page has resync buttons), no third-party anything.
        'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
        'x-frame-options': 'DENY',
      });
    }
    if (method === 'GET' && path === '/assets/dashboard.js') return sendText(res, 200, 'text/javascript; charset=utf-8', DASHBOARD_JS);

    const token = bearer(req.headers.authorization);
    const entry = token === undefined ? undefined : matchToken(this.#d.tokens, token);
    if (!entry) {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="provd-admin"', 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end('{"error":"unauthorized"}\n');
      return;
    }
    const need = (scope: Scope): boolean => {
      if (entry.scopes.has(scope)) return true;
      sendError(res, 403, `this token lacks the ${scope} scope`);
      return false;
    };
    const d = this.#d;

    if (method === 'GET' && path === '/metrics') {
      return sendText(res, 200, d.metrics.contentType, await d.metrics.text());
    }
    if (method === 'GET' && path === '/api/events') return d.live.attach(res);
    if (method === 'GET' && path === '/api/devices') return routes.listDevices(d, url, res);
    if (method === 'GET' && path === '/api/status') return routes.status(d, url, res);
    if (method === 'GET' && path === '/api/ledger') return routes.ledger(d, url, res);
    if (method === 'GET' && path === '/api/inventory') return routes.inventory(d, url, res);
    if (method === 'GET' && path === '/api/resync') return routes.listResyncs(d, res);
    if (method === 'POST' && path === '/api/resync') return need('resync') ? routes.startResync(d, req, res) : undefined;
    if (method === 'GET' && path === '/api/jobs') return routes.listJobs(d, res);

    const seg = path.split('/').slice(1).map((s) => safeDecode(s));
    if (seg.some((s) => s === undefined)) return sendError(res, 400, 'malformed percent-encoding in the path');
    const [a, b, c, e, f, g] = seg as string[];
    if (a === 'api' && b === 'devices' && c !== undefined) {
      const mac = parseMac(c);
      if (!mac) return sendError(res, 400, `not a MAC address: ${c.slice(0, 40)}`);
      if (method !== 'GET') return sendError(res, 405, 'method not allowed');
      if (seg.length === 3) return routes.oneDevice(d, mac, url, res);
      if (e === 'files' && f !== undefined && seg.length === 5) return routes.preview(d, mac, f, url, entry.scopes, res);
      if (e === 'files' && f !== undefined && g === 'diff' && seg.length === 6) return routes.diff(d, mac, f, url, res);
    }
    if (a === 'api' && b === 'resync' && c !== undefined && seg.length === 3 && method === 'GET') return routes.oneResync(d, c, res);
    if (a === 'api' && b === 'jobs' && c !== undefined && e === 'run' && seg.length === 4 && method === 'POST') {
      return need('jobs') ? routes.runJob(d, c, res) : undefined;
    }
    sendError(res, 404, 'no such route');
  }
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
