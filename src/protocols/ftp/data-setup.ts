/**
 * The commands that set up the next data connection: PASV and EPSV (RFC 959 §4.1.2, RFC 2428
 * §3), PORT and EPRT (RFC 959, RFC 2428 §2), with EPSV ALL and the bounce check of RFC 2577.
 */
import type { Logger } from '../../log/logger.js';
import { parseEprt, parsePort } from './addresses.js';
import type { DataChannel } from './data.js';

export type Reply = (code: number, text: string) => void;

export interface DataSetupOptions {
  readonly data: DataChannel;
  /** The client's address: active connections go only back to it. */
  readonly peerAddress: string;
  /** IPv4 address PASV announces; the control connection's local address by default. */
  readonly passiveAddress?: string | undefined;
  readonly logger: Logger;
  readonly securityLog: Logger;
}

export class DataSetup {
  readonly #o: DataSetupOptions;
  #epsvAll = false;

  constructor(opts: DataSetupOptions) {
    this.#o = opts;
  }

  /** PASV on the control connection's local address `local`. */
  async pasv(local: string, reply: Reply): Promise<void> {
    if (this.#epsvAll) return reply(503, 'EPSV ALL in effect.');
    const announce = this.#o.passiveAddress ?? local;
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(announce)) return reply(425, 'PASV needs IPv4; use EPSV.');
    const port = await this.#listen(local, reply);
    if (port === undefined) return;
    // RFC 959 §4.1.2: h1,h2,h3,h4,p1,p2.
    reply(227, `Entering Passive Mode (${announce.replace(/\./g, ',')},${port >> 8},${port & 255}).`);
  }

  async epsv(arg: string, local: string, reply: Reply): Promise<void> {
    const a = arg.trim().toUpperCase();
    if (a === 'ALL') {
      // RFC 2428 §4: after EPSV ALL only EPSV may set up data connections.
      this.#epsvAll = true;
      return reply(200, 'EPSV ALL ok.');
    }
    if (a !== '' && a !== '1' && a !== '2') return reply(522, 'Network protocol not supported, use (1,2)');
    const port = await this.#listen(local, reply);
    if (port === undefined) return;
    reply(229, `Entering Extended Passive Mode (|||${port}|)`);
  }

  active(verb: 'PORT' | 'EPRT', arg: string, reply: Reply): void {
    if (this.#epsvAll) return reply(503, 'EPSV ALL in effect.');
    const target = verb === 'PORT' ? parsePort(arg) : parseEprt(arg);
    if (!target.ok) return reply(target.code, target.text);
    // RFC 2577 §3: connecting anywhere but back to the client (or to a privileged port) makes
    // the server a bounce relay.
    if (target.host !== this.#o.peerAddress || target.port < 1024) {
      this.#o.securityLog.warn({ protocol: 'ftp', peer: this.#o.peerAddress, command: verb, arg: arg.slice(0, 128) }, 'ftp active address refused');
      return reply(500, 'Illegal PORT command: only your own address and ports above 1023.');
    }
    this.#o.data.setActive(target.host, target.port);
    reply(200, `${verb} command successful. Consider using PASV.`);
  }

  async #listen(host: string, reply: Reply): Promise<number | undefined> {
    try {
      return await this.#o.data.listenPassive(host);
    } catch (err) {
      this.#o.logger.warn({ err, protocol: 'ftp' }, 'ftp passive listen failed');
      reply(425, "Can't open passive connection.");
      return undefined;
    }
  }
}
