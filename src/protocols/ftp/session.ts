/**
 * One FTP control connection (RFC 959 §4, §5.4): reads CRLF command lines one at a time, keeps
 * the login, working folder, REST offset and data-channel settings, and answers each command.
 * Transfers run through ./transfer.ts; while one runs, only ABOR, STAT, NOOP and QUIT are
 * answered at once, everything else waits for its 226/426.
 */
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import type { SessionGrant } from '../../core/grant.js';
import { plainAddress } from '../../core/net.js';
import type { TreeLister } from '../../core/tree.js';
import type { FetchRequest, Peer, PresentedCredentials, ProvisioningPipeline } from '../../core/types.js';
import type { Logger } from '../../log/logger.js';
import type { FtpAccounts } from './accounts.js';
import { DataChannel, type DataSettings } from './data.js';
import type { FtpGuard } from './guard.js';
import { quotePath, resolveFtpPath, treePath } from './paths.js';
import { listing, retrieve, store, type TransferContext } from './transfer.js';
import { DataSetup } from './data-setup.js';
import { CommandLines } from './command-lines.js';
import { fileFacts } from './facts.js';
import { LoginFlow } from './login.js';
import { simpleCommand } from './simple-commands.js';
import { Protection } from './protection.js';

export interface SessionSettings {
  readonly pipeline: ProvisioningPipeline;
  readonly tree: TreeLister;
  readonly accounts: FtpAccounts;
  readonly guard: FtpGuard;
  readonly logger: Logger;
  readonly securityLog: Logger;
  readonly secureContext?: SecureContext | undefined;
  readonly requireTls: boolean;
  readonly idleMs: number;
  readonly data: Omit<DataSettings, 'secureContext' | 'onForeignPeer'>;
  /** IPv4 address PASV announces; the control connection's local address by default. */
  readonly passiveAddress?: string | undefined;
  readonly now: () => number;
}

/** Longest command line read; RFC 959 sets no limit, paths are capped at 1024 bytes anyway. */
const MAX_LINE = 2048;
/** Lines buffered ahead of the one being answered before the socket is paused (flood control). */
const MAX_QUEUED = 16;
const BEFORE_LOGIN = new Set(['USER', 'PASS', 'AUTH', 'PBSZ', 'PROT', 'QUIT', 'FEAT', 'SYST', 'NOOP', 'HELP', 'OPTS']);
const DURING_TRANSFER = new Set(['ABOR', 'STAT', 'NOOP', 'QUIT']);
const REFUSED_WRITES = new Set(['DELE', 'RNFR', 'RNTO', 'MKD', 'XMKD', 'RMD', 'XRMD', 'APPE', 'STOU', 'SITE']);

export class FtpSession {
  readonly #s: SessionSettings;
  #socket: Socket | TLSSocket;
  readonly #peer: Peer;
  readonly #data: DataChannel;
  readonly #protection: Protection;
  #grant: SessionGrant | undefined;
  #credentials: PresentedCredentials | undefined;
  #cwd: string[] = [];
  #rest = 0;
  readonly #lines = new CommandLines(MAX_LINE);
  #working = false;
  #transfer: { done: Promise<void>; abort: { aborted: boolean } } | undefined;
  #closed = false;
  readonly #onData = (chunk: Buffer): void => this.#read(chunk);
  readonly #replyFn = (code: number, text: string): void => this.#reply(code, text);
  readonly #setup: DataSetup;
  readonly #login: LoginFlow;

  constructor(socket: Socket, settings: SessionSettings) {
    this.#s = settings;
    this.#socket = socket;
    this.#protection = new Protection(settings.requireTls);
    this.#peer = { address: plainAddress(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0 };
    this.#data = new DataChannel(
      {
        ...settings.data,
        secureContext: settings.secureContext,
        onForeignPeer: (address) =>
          settings.securityLog.warn({ protocol: 'ftp', peer: this.#peer.address, from: address }, 'ftp data connection from another address refused'),
      },
      this.#peer.address,
    );
    this.#login = new LoginFlow({
      accounts: settings.accounts,
      guard: settings.guard,
      securityLog: settings.securityLog,
      requireTls: settings.requireTls,
      peerAddress: this.#peer.address,
    });
    this.#setup = new DataSetup({
      data: this.#data,
      peerAddress: this.#peer.address,
      passiveAddress: settings.passiveAddress,
      logger: settings.logger,
      securityLog: settings.securityLog,
    });
  }

  /** The address the client reached us on: passive listeners open there. */
  #localAddress(): string {
    return plainAddress(this.#socket.localAddress ?? '127.0.0.1');
  }

  /** Greets the client and starts reading; resolves when the connection is gone. */
  run(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#socket.once('close', () => resolve()));
    this.#attach(this.#socket);
    this.#reply(220, 'provd FTP server ready.');
    return closed.then(() => {
      this.#closed = true;
      if (this.#transfer) this.#transfer.abort.aborted = true;
      this.#data.reset();
    });
  }

  /** Server shutdown: 421 and close (RFC 959 §5.4: 421 may answer any command). */
  shutdown(): void {
    this.#reply(421, 'Service closing control connection.');
    this.#socket.end();
    setTimeout(() => this.#socket.destroy(), 1000).unref();
  }

  get busy(): boolean {
    return this.#transfer !== undefined;
  }

  #attach(socket: Socket | TLSSocket): void {
    // Replies are small and each one is awaited: Nagle would hold a 226 behind the client's
    // delayed ACK of the 150 (40 ms per transfer).
    socket.setNoDelay(true);
    socket.on('data', this.#onData);
    socket.on('error', () => undefined);
    socket.setTimeout(this.#s.idleMs, () => {
      // A long firmware download keeps the control connection silent; only an idle one is cut.
      if (this.#transfer) return;
      this.#reply(421, 'Timeout: closing control connection.');
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    });
  }

  #reply(code: number, text: string, lines?: readonly string[]): void {
    if (this.#closed || this.#socket.destroyed) return;
    if (!lines || lines.length === 0) {
      this.#socket.write(`${code} ${text}\r\n`);
      return;
    }
    // RFC 959 §4.2: multi-line replies; continuation lines start with a space.
    this.#socket.write(`${code}-${text}\r\n${lines.map((l) => ` ${l}\r\n`).join('')}${code} End\r\n`);
  }

  #read(chunk: Buffer): void {
    if (!this.#lines.push(chunk)) {
      this.#reply(500, 'Command line too long.');
      this.#s.securityLog.warn({ protocol: 'ftp', peer: this.#peer.address }, 'ftp command line too long; connection closed');
      this.#socket.destroy();
      return;
    }
    if (this.#lines.queued > MAX_QUEUED) this.#socket.pause();
    void this.#pump();
  }

  async #pump(): Promise<void> {
    if (this.#working) return;
    this.#working = true;
    try {
      let line: string | undefined;
      while (!this.#closed && (line = this.#lines.shift()) !== undefined) {
        if (this.#lines.queued <= MAX_QUEUED / 2 && this.#socket.isPaused()) this.#socket.resume();
        const upgraded = await this.#command(line);
        if (upgraded) break;
      }
    } catch (err) {
      this.#s.logger.error({ err, protocol: 'ftp' }, 'ftp command failed');
      this.#reply(451, 'Local error in processing.');
    } finally {
      this.#working = false;
    }
    if (this.#lines.queued > 0 && !this.#closed) void this.#pump();
  }

  /** Answers one line; true when the control connection just switched to TLS. */
  async #command(line: string): Promise<boolean> {
    if (Buffer.byteLength(line) > MAX_LINE) {
      this.#reply(500, 'Command line too long.');
      return false;
    }
    const space = line.indexOf(' ');
    // RFC 959 §4.1.3: ABOR may come after Telnet IP and Synch bytes (decoded here as U+FFFD).
    const verb = (space < 0 ? line : line.slice(0, space)).toUpperCase().replace(/^[^A-Z]+/, '');
    const arg = space < 0 ? '' : line.slice(space + 1);
    if (verb === '') return false;
    if (this.#transfer && !DURING_TRANSFER.has(verb)) await this.#transfer.done;
    if (!this.#grant && !BEFORE_LOGIN.has(verb)) {
      this.#reply(530, 'Please login with USER and PASS.');
      return false;
    }
    switch (verb) {
      case 'AUTH':
        return this.#auth(arg);
      case 'USER':
        this.#user(arg);
        return false;
      case 'PASS':
        await this.#pass(arg);
        return false;
      default:
        await this.#loggedIn(verb, arg);
        return false;
    }
  }

  async #loggedIn(verb: string, arg: string): Promise<void> {
    const simple = simpleCommand(verb, arg, this.#s.secureContext !== undefined);
    if (simple) return this.#reply(simple.code, simple.text, simple.lines);
    switch (verb) {
      case 'PBSZ': {
        const r = this.#protection.pbsz();
        return this.#reply(r.code, r.text);
      }
      case 'PROT': {
        const r = this.#protection.prot(arg);
        return this.#reply(r.code, r.text);
      }
      case 'QUIT':
        this.#reply(221, 'Goodbye.');
        this.#socket.end();
        return;
      case 'PWD':
      case 'XPWD':
        return this.#reply(257, `${quotePath(this.#cwd)} is the current directory.`);
      case 'CWD':
      case 'XCWD':
        return this.#cwd_(arg);
      case 'CDUP':
      case 'XCUP':
        this.#cwd.pop();
        return this.#reply(250, 'Directory successfully changed.');
      case 'PASV':
        return this.#setup.pasv(this.#localAddress(), this.#replyFn);
      case 'EPSV':
        return this.#setup.epsv(arg, this.#localAddress(), this.#replyFn);
      case 'PORT':
      case 'EPRT':
        return this.#setup.active(verb, arg, this.#replyFn);
      case 'REST': {
        if (!/^\d{1,15}$/.test(arg.trim())) return this.#reply(501, 'REST needs a byte offset.');
        this.#rest = Number(arg.trim());
        return this.#reply(350, `Restarting at ${this.#rest}. Send RETR.`);
      }
      case 'RETR':
      case 'STOR':
        return this.#transferFile(verb, arg);
      case 'LIST':
      case 'NLST':
      case 'MLSD':
        return this.#list(verb, arg);
      case 'SIZE':
      case 'MDTM':
      case 'MLST':
        return this.#fileFacts(verb, arg);
      case 'ABOR':
        return this.#abor();
      case 'STAT':
        return this.#reply(211, `provd FTP: ${this.#grant ? `logged in as ${this.#grant.user}` : 'not logged in'}${this.#transfer ? ', transfer in progress' : ''}.`);
      default:
        if (REFUSED_WRITES.has(verb)) return this.#refuseWrite(verb, arg);
        return this.#reply(502, 'Command not implemented.');
    }
  }

  #auth(arg: string): boolean {
    if (!/^(TLS|TLS-C|SSL)$/i.test(arg.trim())) {
      this.#reply(504, 'AUTH TLS only.');
      return false;
    }
    if (!this.#s.secureContext) {
      this.#reply(502, 'TLS is not configured (https.cert and https.key).');
      return false;
    }
    if (this.#protection.tls) {
      this.#reply(503, 'Already using TLS.');
      return false;
    }
    const raw = this.#socket as Socket;
    // RFC 4217 §4: the client sends its ClientHello only after 234, so nothing may be buffered;
    // a client that pipelined more is confused (or attacking), and is dropped.
    raw.off('data', this.#onData);
    raw.pause();
    if (this.#lines.pending || raw.readableLength > 0) {
      this.#reply(503, 'Commands after AUTH TLS before the handshake.');
      raw.destroy();
      return true;
    }
    this.#reply(234, 'Proceed with negotiation.');
    const tls = new TLSSocket(raw, { isServer: true, secureContext: this.#s.secureContext });
    raw.setTimeout(0);
    this.#socket = tls;
    this.#protection.upgraded();
    // RFC 4217 §4: a successful AUTH resets the login; the client logs in again under TLS.
    this.#grant = undefined;
    this.#credentials = undefined;
    this.#login.reset();
    tls.once('close', () => raw.destroy());
    this.#attach(tls);
    return true;
  }

  #user(arg: string): void {
    this.#grant = undefined;
    this.#credentials = undefined;
    this.#cwd = [];
    const r = this.#login.user(arg, this.#protection.tls);
    this.#reply(r.code, r.text);
  }

  async #pass(arg: string): Promise<void> {
    const { reply, login } = await this.#login.pass(arg);
    if (login) {
      this.#grant = login.grant;
      this.#credentials = login.credentials;
      this.#cwd = [];
    }
    this.#reply(reply.code, reply.text);
  }

  /** A path argument made safe, or undefined after answering 550 and logging the attempt. */
  #path(verb: string, arg: string): readonly string[] | undefined {
    const p = resolveFtpPath(this.#cwd, arg);
    if (p.ok) return p.segments;
    this.#s.securityLog.warn(
      { protocol: this.#protocol(), peer: this.#peer.address, user: this.#grant?.user, command: verb, reason: p.reason, arg: arg.slice(0, 256) },
      'ftp path refused',
    );
    this.#reply(550, 'Invalid path.');
    return undefined;
  }

  #protocol(): 'ftp' | 'ftps' {
    return this.#protection.tls ? 'ftps' : 'ftp';
  }

  #request(segments: readonly string[], detail?: Record<string, unknown>): FetchRequest {
    return {
      protocol: this.#protocol(),
      peer: this.#peer,
      path: treePath(this.#grant?.folder ?? [], segments),
      ...(this.#credentials ? { credentials: this.#credentials } : {}),
      ...(this.#grant ? { grant: this.#grant } : {}),
      ...(detail ? { detail } : {}),
    };
  }

  async #cwd_(arg: string): Promise<void> {
    const segs = this.#path('CWD', arg);
    if (!segs) return;
    const listed = await this.#s.tree.list(this.#request(segs));
    if (listed.kind !== 'dir') return this.#reply(550, 'Failed to change directory.');
    this.#cwd = [...segs];
    this.#reply(250, 'Directory successfully changed.');
  }

  async #transferFile(verb: 'RETR' | 'STOR', arg: string): Promise<void> {
    const rest = this.#rest;
    this.#rest = 0;
    const segs = resolveFtpPath(this.#cwd, arg);
    if (!segs.ok) {
      const refused: FetchRequest = { protocol: this.#protocol(), peer: this.#peer, path: arg.slice(0, 1024), detail: { command: verb } };
      this.#s.pipeline.refuse(refused, 'denied', 'bad_path', 550);
      this.#path(verb, arg);
      return;
    }
    const req = this.#request(segs.segments, { command: verb, ...(rest > 0 ? { rest } : {}) });
    if (!this.#protection.dataAllowed) {
      this.#s.pipeline.refuse(req, 'denied', 'tls_required', 521);
      return this.#reply(521, 'Data connections must be encrypted (PROT P).');
    }
    if (!this.#data.ready) {
      this.#s.pipeline.refuse(req, 'denied', 'no_data_connection', 425);
      return this.#reply(425, 'Use PORT or PASV first.');
    }
    if (verb === 'STOR' && rest > 0) {
      this.#s.pipeline.refuse(req, 'denied', 'upload_not_allowed', 550);
      return this.#reply(550, 'Resumed uploads are not supported.');
    }
    this.#startTransfer((ctx) => (verb === 'RETR' ? retrieve(ctx, req, rest) : store(ctx, req)));
  }

  async #list(verb: 'LIST' | 'NLST' | 'MLSD', arg: string): Promise<void> {
    // `LIST -la`: ls options some clients send; the listing has one shape anyway.
    const path = verb === 'MLSD' ? arg : arg.replace(/^(-[A-Za-z]+\s*)+/, '');
    const segs = this.#path(verb, path);
    if (!segs) return;
    if (!this.#protection.dataAllowed) return this.#reply(521, 'Data connections must be encrypted (PROT P).');
    if (!this.#data.ready) return this.#reply(425, 'Use PORT or PASV first.');
    const req = this.#request(segs);
    this.#startTransfer(async (ctx) => {
      const allowed = await listing(ctx, req, verb, this.#s.now());
      if (!allowed) {
        this.#s.securityLog.warn({ protocol: this.#protocol(), peer: this.#peer.address, user: this.#grant?.user, path: req.path }, 'ftp listing denied');
      }
      this.#data.reset();
    });
  }

  #startTransfer(run: (ctx: TransferContext) => Promise<unknown>): void {
    const abort = { aborted: false };
    const ctx: TransferContext = {
      pipeline: this.#s.pipeline,
      tree: this.#s.tree,
      data: this.#data,
      logger: this.#s.logger,
      protect: this.#protection.dataPrivate,
      reply: (code, text) => this.#reply(code, text),
      abort,
    };
    const done = run(ctx)
      .catch((err: unknown) => {
        this.#s.logger.error({ err, protocol: 'ftp' }, 'ftp transfer failed');
        this.#reply(451, 'Local error in processing.');
      })
      .then(() => {
        this.#transfer = undefined;
      });
    this.#transfer = { done, abort };
  }

  async #abor(): Promise<void> {
    const t = this.#transfer;
    if (!t) {
      this.#data.reset();
      return this.#reply(226, 'No transfer to abort.');
    }
    // RFC 959 §4.1.3: the transfer's own 426 comes first, then 226 for the ABOR.
    t.abort.aborted = true;
    this.#data.reset();
    await t.done;
    this.#reply(226, 'ABOR successful.');
  }

  async #fileFacts(verb: 'SIZE' | 'MDTM' | 'MLST', arg: string): Promise<void> {
    const segs = this.#path(verb, arg);
    if (!segs) return;
    await fileFacts(this.#s.tree, this.#request(segs), verb, `/${segs.join('/')}`, this.#s.now(), (c, t, l) => this.#reply(c, t, l));
  }

  #refuseWrite(verb: string, arg: string): void {
    if (arg !== '' && verb !== 'SITE') {
      const p = resolveFtpPath(this.#cwd, arg);
      if (!p.ok) return void this.#path(verb, arg);
      this.#s.pipeline.refuse(this.#request(p.segments, { command: verb }), 'denied', 'write_not_allowed', 550);
    }
    this.#reply(550, 'Permission denied.');
  }
}
