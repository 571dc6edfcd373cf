/**
 * One session's data connection (RFC 959 §3.2): passive (PASV/EPSV) listens on a port of the
 * configured range and accepts only the control connection's own address; active (PORT/EPRT)
 * connects back to it. Under PROT P the socket is wrapped in TLS with the control connection's
 * certificate (RFC 4217 §9) when the transfer starts, after the 150 reply.
 */
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import type { Duplex } from 'node:stream';
import { plainAddress } from '../../core/net.js';

export interface DataSettings {
  /** A data connection that does not open, or stalls, for this long is dropped. */
  readonly timeoutMs: number;
  /** Inclusive passive port range; absent: any free port. */
  readonly passivePorts?: { readonly min: number; readonly max: number } | undefined;
  readonly secureContext?: SecureContext | undefined;
  /** Told about a data connection from another address (dropped: RFC 2577 §5, port stealing). */
  readonly onForeignPeer?: ((address: string) => void) | undefined;
}

type Mode =
  | { readonly kind: 'none' }
  | { readonly kind: 'passive'; readonly server: Server; readonly accepted: Promise<Socket> }
  | { readonly kind: 'active'; readonly host: string; readonly port: number };

export class DataChannel {
  readonly #s: DataSettings;
  readonly #peer: string;
  #mode: Mode = { kind: 'none' };
  #open: Duplex | undefined;

  constructor(settings: DataSettings, peerAddress: string) {
    this.#s = settings;
    this.#peer = peerAddress;
  }

  get ready(): boolean {
    return this.#mode.kind !== 'none';
  }

  /** Opens a passive listener on `host`; resolves with its port. */
  async listenPassive(host: string): Promise<number> {
    this.reset();
    let resolveAccepted!: (s: Socket) => void;
    const accepted = new Promise<Socket>((r) => (resolveAccepted = r));
    // pauseOnConnect: nothing is read before a TLS wrap could take the socket over, so a
    // ClientHello sent right after connecting is not lost (the race design §8 reports).
    const server = createServer({ pauseOnConnect: true }, (socket) => {
      if (plainAddress(socket.remoteAddress ?? '') !== this.#peer) {
        this.#s.onForeignPeer?.(plainAddress(socket.remoteAddress ?? ''));
        socket.destroy();
        return;
      }
      server.close();
      resolveAccepted(socket);
    });
    server.on('error', () => undefined);
    const port = await listenInRange(server, host, this.#s.passivePorts);
    this.#mode = { kind: 'passive', server, accepted };
    return port;
  }

  setActive(host: string, port: number): void {
    this.reset();
    this.#mode = { kind: 'active', host, port };
  }

  /**
   * The data connection for one transfer, TLS-wrapped when `protect`. Rejects after the
   * timeout. The mode is used up: the next transfer needs a new PASV/PORT.
   */
  async connect(protect: boolean): Promise<Duplex> {
    const mode = this.#mode;
    this.#mode = { kind: 'none' };
    let socket: Socket;
    if (mode.kind === 'passive') {
      socket = await withTimeout(mode.accepted, this.#s.timeoutMs, () => mode.server.close());
    } else if (mode.kind === 'active') {
      socket = await withTimeout(
        new Promise<Socket>((resolve, reject) => {
          const s = netConnect({ host: mode.host, port: mode.port }, () => resolve(s));
          s.once('error', reject);
        }),
        this.#s.timeoutMs,
      );
    } else {
      throw new Error('no PASV or PORT before the transfer');
    }
    let stream: Duplex = socket;
    if (protect && this.#s.secureContext) {
      const tls = new TLSSocket(socket, { isServer: true, secureContext: this.#s.secureContext });
      stream = tls;
      this.#open = tls;
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          tls.once('secure', () => resolve());
          tls.once('error', reject);
          tls.once('close', () => reject(new Error('data connection closed during TLS handshake')));
        }),
        this.#s.timeoutMs,
        () => tls.destroy(),
      );
    }
    socket.setNoDelay(true);
    socket.setTimeout(this.#s.timeoutMs, () => stream.destroy(Object.assign(new Error('data connection stalled'), { code: 'ETIMEDOUT' })));
    socket.on('error', () => undefined);
    this.#open = stream;
    return stream;
  }

  /** Closes the listener and any open data connection (ABOR, a new PASV, session end). */
  reset(): void {
    if (this.#mode.kind === 'passive') {
      this.#mode.server.close();
      void this.#mode.accepted.then((s) => s.destroy());
    }
    this.#mode = { kind: 'none' };
    this.#open?.destroy();
    this.#open = undefined;
  }
}

/** Tries every port of the range from a random start, so sessions spread over it. */
async function listenInRange(server: Server, host: string, range: DataSettings['passivePorts']): Promise<number> {
  if (!range) return listenOn(server, host, 0);
  const count = range.max - range.min + 1;
  const start = Math.floor(Math.random() * count);
  for (let i = 0; i < count; i++) {
    const port = range.min + ((start + i) % count);
    try {
      return await listenOn(server, host, port);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
  throw Object.assign(new Error('every passive port is in use'), { code: 'EADDRINUSE' });
}

function listenOn(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout?.();
      reject(Object.assign(new Error('data connection timed out'), { code: 'ETIMEDOUT' }));
    }, ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
