/**
 * The DHCP helper's socket: one UDP socket on the configured port (67 in production), parsing
 * each datagram, asking the engine what to answer and sending it. Bad or relayed packets are
 * dropped with a debug line and a counter, never a crash. `node:dgram` cannot bind to one
 * interface (design §8), so replies go to the configured link broadcast or to the client's ciaddr.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { Logger } from '../log/logger.js';
import { decide, type EngineDeps } from './engine.js';
import type { LeaseFile, LeaseTable } from './leases.js';
import { BOOTREQUEST, parseMessage } from './packet.js';

export interface ResponderDeps extends EngineDeps {
  readonly bind: string;
  readonly port: number;
  readonly clientPort: number;
  readonly leases: LeaseTable;
  /** Server mode: where bound leases are persisted. */
  readonly leaseFile?: LeaseFile;
  readonly logger: Logger;
}

/** Counts of what the responder saw, by outcome (`answered`, `dropped:truncated`...). */
export type DhcpCounters = Readonly<Record<string, number>>;

export class DhcpResponder {
  readonly #deps: ResponderDeps;
  #socket: Socket | undefined;
  readonly #counters = new Map<string, number>();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(deps: ResponderDeps) {
    this.#deps = deps;
  }

  /** Binds the socket; resolves with the bound address and port (port 0 becomes real). */
  async start(): Promise<{ address: string; port: number }> {
    // inform/proxy share port 67 with a DHCP server on the same host (dnsmasq, Kea): every socket
    // with SO_REUSEADDR receives the broadcasts. A server owns the port alone, so two address
    // servers can never run unnoticed on one host.
    const socket = createSocket({ type: 'udp4', reuseAddr: this.#deps.config.mode !== 'server' });
    this.#socket = socket;
    socket.on('message', (bytes, rinfo) => this.#onMessage(bytes, rinfo));
    socket.on('error', (err) => this.#deps.logger.error({ err, protocol: 'dhcp' }, 'DHCP socket error'));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.#deps.port, this.#deps.bind, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.setBroadcast(true);
    const addr = socket.address();
    return { address: addr.address, port: addr.port };
  }

  async stop(): Promise<void> {
    const socket = this.#socket;
    this.#socket = undefined;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  counters(): DhcpCounters {
    return Object.fromEntries(this.#counters);
  }

  #count(key: string): void {
    this.#counters.set(key, (this.#counters.get(key) ?? 0) + 1);
  }

  #drop(reason: string, rinfo: RemoteInfo, counter: string): void {
    this.#count(`dropped:${counter}`);
    this.#deps.logger.debug({ protocol: 'dhcp', peer: rinfo.address, reason }, 'DHCP packet dropped');
  }

  #onMessage(bytes: Buffer, rinfo: RemoteInfo): void {
    try {
      this.#handle(bytes, rinfo);
    } catch (err) {
      // A bug in an encoder must cost one answer, not the daemon.
      this.#count('failed');
      this.#deps.logger.error({ err, protocol: 'dhcp', peer: rinfo.address }, 'DHCP message handling failed');
    }
  }

  #handle(bytes: Buffer, rinfo: RemoteInfo): void {
    const parsed = parseMessage(bytes);
    if (!parsed.ok) return this.#drop(parsed.reason, rinfo, parsed.reason.split(':')[0]!.split(' ')[0]!);
    const msg = parsed.message;
    if (msg.op !== BOOTREQUEST) return this.#drop('not a BOOTREQUEST', rinfo, 'not-request');
    // Relayed requests need replies through the relay and a subnet choice per giaddr; not served.
    if (msg.giaddr !== '0.0.0.0') return this.#drop(`relayed by ${msg.giaddr}`, rinfo, 'relayed');
    const decision = decide(msg, this.#deps);
    const log = { protocol: 'dhcp', mac: msg.hardware, type: msg.messageType, vendor: decision.answer?.vendor, by: decision.answer?.by };
    if (decision.dropped && decision.dropped.length > 0) {
      this.#deps.logger.warn({ ...log, options: decision.dropped }, 'options left out: reply would exceed the client maximum message size');
    }
    if (decision.leasesChanged && this.#deps.leaseFile) {
      // The ACK waits for the lease to be on disk (RFC 2131 §4.3.2); a failed write sends none,
      // so the client retries rather than holding a lease a restart would forget.
      const reply = decision.reply;
      this.#deps.leaseFile.save(() => this.#deps.leases.bound()).then(
        () => reply && this.#send(reply.bytes, reply.address, log, decision.note, decision.delayMs),
        (err: unknown) => {
          this.#count('failed');
          this.#deps.logger.error({ err, ...log }, 'DHCP leases not saved; no reply sent');
        },
      );
      if (!reply) this.#count('silent');
      return;
    }
    if (!decision.reply) {
      this.#count('silent');
      this.#deps.logger.debug({ ...log, note: decision.note }, 'DHCP no reply');
      return;
    }
    this.#send(decision.reply.bytes, decision.reply.address, log, decision.note, decision.delayMs);
  }

  #send(out: Buffer, address: string, log: Record<string, unknown>, note: string, delayMs: number | undefined): void {
    this.#count('answered');
    this.#deps.logger.info({ ...log, note, to: address }, 'DHCP reply');
    const send = () =>
      this.#socket?.send(out, this.#deps.clientPort, address, (err) => {
        if (err) this.#deps.logger.warn({ err, protocol: 'dhcp', to: address }, 'DHCP reply not sent');
      });
    if (!delayMs) return void send();
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      send();
    }, delayMs);
    this.#timers.add(timer);
  }
}
