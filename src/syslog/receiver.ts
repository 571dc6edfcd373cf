/**
 * The syslog receiver: UDP (RFC 5426) and, when configured, TCP (RFC 6587). Each message is
 * attributed to a device by its source address, written to that device's log file and counted
 * for the device's registration health. Bad input is kept or cut, never fatal: a counter says
 * how much.
 */
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import type { Logger } from '../log/logger.js';
import type { AddressAttribution } from './attribution.js';
import { SyslogFramer } from './framing.js';
import type { LogHealth } from './health.js';
import { SEVERITIES, oneLine, parseSyslog } from './parse.js';
import { UNATTRIBUTED, type LogStore } from './store.js';

export interface SyslogReceiverOptions {
  readonly bind: string;
  readonly port: number;
  readonly tcp: boolean;
  readonly maxMessageBytes: number;
  readonly attribution: AddressAttribution;
  readonly store: LogStore;
  readonly health: LogHealth;
  readonly logger: Logger;
  readonly now: () => number;
  /** TCP connections open at once; more are closed at once. */
  readonly maxConnections?: number;
  /** A TCP connection silent this long is closed. */
  readonly idleMs?: number;
}

const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'audit', 'alert', 'clock',
  'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
];

export class SyslogReceiver {
  readonly #o: SyslogReceiverOptions;
  readonly #counters: Record<string, number> = {};
  readonly #connections = new Set<TcpSocket>();
  #udp: Socket | undefined;
  #tcp: Server | undefined;
  readonly #decoder = new TextDecoder('utf-8', { fatal: false });
  readonly #strict = new TextDecoder('utf-8', { fatal: true });

  constructor(options: SyslogReceiverOptions) {
    this.#o = options;
  }

  /** Binds UDP (and TCP on the same port number); resolves with the bound port. */
  async start(): Promise<number> {
    const family = this.#o.bind.includes(':') ? 'udp6' : 'udp4';
    // A burst of phones booting at once (a site after a power cut) outruns the default receive
    // buffer; 4 MiB is asked for, the kernel grants up to net.core.rmem_max.
    const udp = createSocket({ type: family, recvBufferSize: 4 * 1024 * 1024 });
    this.#udp = udp;
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(this.#o.port, this.#o.bind, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    udp.on('error', (err) => this.#o.logger.error({ err, protocol: 'syslog' }, 'syslog socket error'));
    udp.on('message', (msg, rinfo) => this.#message(msg, rinfo.address, false));
    const port = udp.address().port;
    if (this.#o.tcp) {
      const tcp = createServer((socket) => this.#connection(socket));
      tcp.maxConnections = this.#o.maxConnections ?? 1024;
      this.#tcp = tcp;
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(port, this.#o.bind, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
    }
    return port;
  }

  async stop(): Promise<void> {
    for (const c of this.#connections) c.destroy();
    await Promise.all([
      this.#udp ? new Promise<void>((r) => this.#udp!.close(() => r())) : undefined,
      this.#tcp ? new Promise<void>((r) => this.#tcp!.close(() => r())) : undefined,
    ]);
    this.#udp = this.#tcp = undefined;
    await this.#o.store.flush();
  }

  counters(): Record<string, number> {
    return { ...this.#counters, dropped_queue_full: this.#o.store.dropped };
  }

  #count(name: string): void {
    this.#counters[name] = (this.#counters[name] ?? 0) + 1;
  }

  #connection(socket: TcpSocket): void {
    this.#connections.add(socket);
    const framer = new SyslogFramer(this.#o.maxMessageBytes);
    const address = socket.remoteAddress ?? '';
    socket.setTimeout(this.#o.idleMs ?? 300_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      for (const f of framer.push(chunk)) this.#message(f.bytes, address, f.truncated);
    });
    socket.on('error', () => this.#count('tcp_error'));
    socket.on('close', () => this.#connections.delete(socket));
  }

  #message(datagram: Buffer, address: string, cut: boolean): void {
    const now = this.#o.now();
    let bytes = datagram;
    let truncated = cut;
    if (bytes.length > this.#o.maxMessageBytes) {
      bytes = bytes.subarray(0, this.#o.maxMessageBytes);
      truncated = true;
    }
    if (truncated) this.#count('truncated');
    let text: string;
    try {
      text = this.#strict.decode(bytes);
    } catch {
      // A cut may split a multi-byte character; anything else not UTF-8 is shown with U+FFFD.
      if (!truncated) this.#count('not_utf8');
      text = this.#decoder.decode(bytes);
    }
    text = text.replace(/[\r\n]+$/, '');
    const msg = parseSyslog(text);
    if (!msg.priorityValid) this.#count('bad_priority');
    const peer = normaliseAddress(address);
    const mac = this.#o.attribution.macFor(peer);
    this.#count(mac ? 'attributed' : 'unattributed');
    const level = `${FACILITIES[msg.facility] ?? 'user'}.${SEVERITIES[msg.severity] ?? 'notice'}`;
    const line = [
      new Date(now).toISOString(),
      peer,
      level,
      oneLine(msg.hostname ?? '-'),
      `${oneLine(msg.app ?? '-')}:`,
      oneLine(msg.text) + (truncated ? ' [truncated]' : ''),
    ].join(' ');
    if (mac) {
      const failure = this.#o.health.note(mac, msg.text, now);
      if (failure !== undefined) this.#count('registration_failures');
    }
    this.#o.store.append(mac ?? UNATTRIBUTED, line);
  }
}

/** `::ffff:10.0.0.5` (an IPv4 peer on a dual-stack socket) is the ledger's `10.0.0.5`. */
function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
