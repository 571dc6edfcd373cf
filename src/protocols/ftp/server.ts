/**
 * The FTP(S) listener (design §1, protocols/ftp): accepts control connections under a
 * per-address cap and runs one FtpSession each. A thin adapter: files come from the pipeline,
 * listings from the core's tree view, logins from the `ftp:` accounts.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import { plainAddress } from '../../core/net.js';
import type { TreeLister } from '../../core/tree.js';
import type { ProvisioningPipeline } from '../../core/types.js';
import type { Logger } from '../../log/logger.js';
import type { FtpAccounts } from './accounts.js';
import { FtpGuard } from './guard.js';
import { FtpSession } from './session.js';

export interface FtpServerOptions {
  readonly pipeline: ProvisioningPipeline;
  readonly tree: TreeLister;
  readonly accounts: FtpAccounts;
  readonly logger: Logger;
  readonly securityLog: Logger;
  /** The HTTPS certificate and key: AUTH TLS is offered when given. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer } | undefined;
  readonly requireTls: boolean;
  readonly passivePorts?: { readonly min: number; readonly max: number } | undefined;
  readonly passiveAddress?: string | undefined;
  readonly idleSeconds: number;
  readonly dataTimeoutSeconds: number;
  readonly maxConnectionsPerAddress: number;
  readonly loginFailures: number;
  readonly loginWindowSeconds: number;
  /** How long `close()` lets transfers run before cutting them; 10 s by default. */
  readonly closeGraceMs?: number;
  readonly now: () => number;
}

export class FtpServer {
  readonly #o: FtpServerOptions;
  readonly #server: Server;
  readonly #guard: FtpGuard;
  readonly #secureContext: SecureContext | undefined;
  readonly #sessions = new Set<{ session: FtpSession; socket: Socket; done: Promise<void> }>();
  #closing: Promise<void> | undefined;

  /** Creates the server; nothing is bound until `listen`. */
  constructor(opts: FtpServerOptions) {
    this.#o = opts;
    this.#guard = new FtpGuard({
      maxConnectionsPerAddress: opts.maxConnectionsPerAddress,
      loginFailures: opts.loginFailures,
      loginWindowMs: opts.loginWindowSeconds * 1000,
      now: opts.now,
    });
    this.#secureContext = opts.tls ? createSecureContext({ cert: opts.tls.cert, key: opts.tls.key }) : undefined;
    this.#server = createServer((socket) => this.#accept(socket));
    this.#server.on('error', (err) => {
      if (this.#server.listening) opts.logger.error({ err, protocol: 'ftp' }, 'ftp server error');
    });
  }

  listen(port: number, host: string): Promise<{ address: string; port: number }> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.#server.once('error', onError);
      this.#server.listen(port, host, () => {
        this.#server.off('error', onError);
        const a = this.#server.address() as AddressInfo;
        resolve({ address: a.address, port: a.port });
      });
    });
  }

  /** Stops accepting, lets transfers finish until the grace deadline, then closes every session. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const closed = new Promise<void>((r) => this.#server.close(() => r()));
      for (const s of this.#sessions) if (!s.session.busy) s.session.shutdown();
      const deadline = new Promise<void>((r) => setTimeout(r, this.#o.closeGraceMs ?? 10_000).unref());
      await Promise.race([Promise.all([...this.#sessions].map((s) => s.done)), deadline]);
      for (const s of this.#sessions) s.socket.destroy();
      await closed;
    })();
    return this.#closing;
  }

  #accept(socket: Socket): void {
    const address = plainAddress(socket.remoteAddress ?? '');
    socket.on('error', () => undefined);
    if (this.#closing) {
      socket.end('421 Service closing.\r\n');
      return;
    }
    if (!this.#guard.open(address)) {
      this.#o.securityLog.warn({ protocol: 'ftp', peer: address, cap: this.#o.maxConnectionsPerAddress }, 'ftp connection refused: too many from this address');
      socket.end('421 Too many connections from your address.\r\n');
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    const session = new FtpSession(socket, {
      pipeline: this.#o.pipeline,
      tree: this.#o.tree,
      accounts: this.#o.accounts,
      guard: this.#guard,
      logger: this.#o.logger,
      securityLog: this.#o.securityLog,
      secureContext: this.#secureContext,
      requireTls: this.#o.requireTls,
      idleMs: this.#o.idleSeconds * 1000,
      data: { timeoutMs: this.#o.dataTimeoutSeconds * 1000, passivePorts: this.#o.passivePorts },
      passiveAddress: this.#o.passiveAddress,
      now: this.#o.now,
    });
    const entry = { session, socket, done: Promise.resolve() };
    entry.done = session.run().finally(() => {
      this.#guard.close(address);
      this.#sessions.delete(entry);
    });
    this.#sessions.add(entry);
  }
}
