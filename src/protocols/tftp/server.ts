/**
 * The TFTP server (design §1, §5): parses requests on the listening socket, runs each transfer
 * through the provisioning pipeline, and keeps the operational limits. Two modes:
 * - ephemeral (RFC 1350 §4): each transfer gets its own socket, connected to the client, so
 *   the kernel itself drops packets from any other address or port;
 * - single-port: every packet goes in and out on the listening port and is matched to its
 *   transfer by the client's address and port (Docker bridge networks, NAT).
 */
import { createSocket, type RemoteInfo, type Socket, type SocketType } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { plainAddress } from '../../core/net.js';
import type { FetchRequest, Peer, ProvisioningPipeline } from '../../core/types.js';
import type { Logger } from '../../log/logger.js';
import { decode, encodeError, ERR, OP, type RequestPacket } from './codec.js';
import { answerRead } from './answer-read.js';
import { ClientProfiles, type ClientProfileSpec } from './profiles.js';
import { ReplyLimiter } from './rate-limit.js';
import type { Channel, RetransmitPolicy } from './read-transfer.js';
import { runUpload } from './answer-write.js';

export interface TftpSettings {
  /** Answer every transfer from the listening port instead of a fresh port per transfer. */
  readonly singlePort: boolean;
  readonly maxBlksize: number;
  readonly maxWindowsize: number;
  readonly retransmit: RetransmitPolicy;
  /** Transfers running at once, server-wide and per client address; more get ERROR 0 busy. */
  readonly maxTransfers: number;
  readonly maxPerAddress: number;
  readonly profiles: readonly ClientProfileSpec[];
  /** WRQ is refused unless enabled; even then only names the pipeline's policy allows. */
  readonly allowWrite: boolean;
  /** ERROR replies per second per address to packets that start no transfer. */
  readonly errorRepliesPerSecond: number;
  /** Requested receive buffer of the listening socket, for boot storms (capped by the kernel). */
  readonly receiveBufferBytes: number;
  /** How long `close()` lets running transfers finish before aborting them. */
  readonly closeGraceMs: number;
}

export interface TftpServerOptions {
  readonly pipeline: ProvisioningPipeline;
  readonly logger: Logger;
  readonly settings: TftpSettings;
}

export interface DeviceTftpServer {
  /** Binds and starts serving; port 0 picks a free port, reported in the result. */
  listen(port: number, host: string): Promise<{ address: string; port: number }>;
  /** Stops taking requests, lets transfers finish until the grace deadline, aborts the rest. */
  close(): Promise<void>;
}

/** Creates the server; no socket is opened until `listen`. */
export function createTftpServer(opts: TftpServerOptions): DeviceTftpServer {
  return new TftpServer(opts);
}

/** What the server knows of a running transfer, so it can route packets to it and abort it. */
interface Running {
  readonly request: RequestPacket;
  onPacket?: (buf: Buffer) => void;
  abort?: (message: string) => void;
  /** Ends the transfer because the client has moved on (it already asks for something else). */
  superseded?: () => void;
  /** Single-port mode: a new request from this client, served once this transfer is gone. */
  next?: { readonly msg: Buffer; readonly rinfo: RemoteInfo };
}

class TftpServer implements DeviceTftpServer {
  readonly #o: TftpServerOptions;
  readonly #s: TftpSettings;
  readonly #profiles: ClientProfiles;
  readonly #replies: ReplyLimiter;
  #socket: Socket | undefined;
  #type: SocketType = 'udp4';
  #host = '0.0.0.0';
  /**
   * Running transfers by client `address|port` (single-port mode: packets are routed by it) or
   * `address|port|op|name` (ephemeral mode: repeated requests are dropped by it).
   */
  readonly #byPeer = new Map<string, Running>();
  readonly #perAddress = new Map<string, number>();
  readonly #jobs = new Set<Promise<void>>();
  #closing: Promise<void> | undefined;

  constructor(opts: TftpServerOptions) {
    this.#o = opts;
    this.#s = opts.settings;
    this.#profiles = new ClientProfiles({ maxBlksize: this.#s.maxBlksize, maxWindowsize: this.#s.maxWindowsize }, this.#s.profiles);
    this.#replies = new ReplyLimiter({ perSecond: this.#s.errorRepliesPerSecond, burst: Math.max(1, this.#s.errorRepliesPerSecond * 2) });
  }

  listen(port: number, host: string): Promise<{ address: string; port: number }> {
    this.#host = host;
    this.#type = isIPv6(host) ? 'udp6' : 'udp4';
    const socket = createSocket({ type: this.#type, reuseAddr: false });
    this.#socket = socket;
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ port, address: host }, () => {
        socket.off('error', reject);
        socket.on('error', (err) => this.#o.logger.warn({ err, protocol: 'tftp' }, 'tftp socket error'));
        socket.on('message', (msg, rinfo) => this.#onMessage(msg, rinfo));
        try {
          socket.setRecvBufferSize(this.#s.receiveBufferBytes);
        } catch {
          // Unprivileged and above rmem_max: the kernel keeps its default; not fatal.
        }
        const a = socket.address();
        resolve({ address: a.address, port: a.port });
      });
    });
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    const socket = this.#socket;
    // In single-port mode the listening socket carries the transfers, so it closes last.
    if (socket && !this.#s.singlePort) socket.close();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((r) => (timer = setTimeout(r, this.#s.closeGraceMs)));
    await Promise.race([Promise.allSettled([...this.#jobs]), grace]);
    clearTimeout(timer);
    for (const r of this.#byPeer.values()) r.abort?.('server shutting down');
    await Promise.allSettled([...this.#jobs]);
    if (socket && this.#s.singlePort) socket.close();
  }

  #onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    try {
      this.#dispatch(msg, rinfo);
    } catch (err) {
      // Defence in depth: no packet may take the daemon down.
      this.#o.logger.error({ err, protocol: 'tftp', peer: rinfo.address }, 'tftp packet handling failed');
    }
  }

  #dispatch(msg: Buffer, rinfo: RemoteInfo): void {
    const peerKey = `${rinfo.address}|${rinfo.port}`;
    if (this.#s.singlePort) {
      // The transfer's own packets (and a repeated request) all arrive here.
      const running = this.#byPeer.get(peerKey);
      if (running) {
        if (isOtherRequest(msg, running.request)) {
          // The client moved on to its next file from the same port (its last ACK was lost, or
          // it gave up): end this transfer and serve the new request right after.
          running.next = { msg, rinfo };
          running.superseded?.();
          return;
        }
        running.onPacket?.(msg);
        return;
      }
    }
    if (this.#closing) return;
    const d = decode(msg);
    const peer: Peer = { address: plainAddress(rinfo.address), port: rinfo.port };
    if (!d.ok) {
      this.#o.logger.debug({ protocol: 'tftp', peer: peer.address, reason: d.reason }, 'malformed tftp packet');
      // A 1-byte datagram has no opcode to answer; an ERROR is never answered (RFC 1350 §7).
      if (d.reason === 'too_short' || d.opcode === OP.ERROR) return;
      this.#replyError(rinfo, ERR.ILLEGAL_OPERATION, `malformed packet: ${d.reason.replace(/_/g, ' ')}`);
      if (d.filename !== undefined) {
        this.#o.pipeline.refuse(this.#fetchRequest(peer, d.filename, undefined), 'denied', `malformed_${d.reason}`, ERR.ILLEGAL_OPERATION);
      }
      return;
    }
    const p = d.packet;
    if (p.op === 'error') return;
    if (p.op !== 'rrq' && p.op !== 'wrq') {
      // RFC 1350 §4: a packet for no transfer of ours is an unknown transfer ID.
      this.#replyError(rinfo, ERR.UNKNOWN_TID, 'Unknown transfer ID');
      return;
    }
    // Ephemeral mode: the same request again from the same port is a retry that crossed our
    // first reply, not a new transfer. A different name from that port is a client that moved
    // on (its last ACK may still be on its way) and starts a transfer of its own.
    const key = this.#s.singlePort ? peerKey : `${peerKey}|${p.op}|${p.filename}`;
    if (this.#byPeer.has(key)) return;
    const req = this.#fetchRequest(peer, p.filename, p);
    if (p.op === 'wrq' && !this.#s.allowWrite) {
      this.#replyError(rinfo, ERR.ACCESS_VIOLATION, 'Access violation: uploads are disabled', false);
      this.#o.pipeline.refuse(req, 'denied', 'upload_disabled', ERR.ACCESS_VIOLATION);
      return;
    }
    const perAddress = this.#perAddress.get(peer.address) ?? 0;
    if (this.#byPeer.size >= this.#s.maxTransfers || perAddress >= this.#s.maxPerAddress) {
      // Silence would make the client retry at its own pace; ERROR 0 tells it now.
      this.#replyError(rinfo, ERR.NOT_DEFINED, 'server busy, try again later', false);
      this.#o.pipeline.refuse(req, 'failed', 'busy', ERR.NOT_DEFINED);
      return;
    }
    const entry: Running = { request: p };
    this.#byPeer.set(key, entry);
    this.#perAddress.set(peer.address, perAddress + 1);
    const job = this.#run(p, req, rinfo, entry)
      .catch((err: unknown) => this.#o.logger.error({ err, protocol: 'tftp' }, 'tftp transfer failed'))
      .finally(() => {
        this.#byPeer.delete(key);
        const left = (this.#perAddress.get(peer.address) ?? 1) - 1;
        if (left <= 0) this.#perAddress.delete(peer.address);
        else this.#perAddress.set(peer.address, left);
        this.#jobs.delete(job);
        if (entry.next) this.#onMessage(entry.next.msg, entry.next.rinfo);
      });
    this.#jobs.add(job);
  }

  #fetchRequest(peer: Peer, filename: string, p: RequestPacket | undefined): FetchRequest {
    // TFTP names are relative to the served root with or without a leading slash (as tftp-hpa
    // with -s); the ledger keeps HTTP's form.
    const path = filename.startsWith('/') ? filename : `/${filename}`;
    const detail = p ? { op: p.op, mode: p.mode, ...(p.options.size > 0 ? { requested: Object.fromEntries(p.options) } : {}) } : undefined;
    return { protocol: 'tftp', peer, path, ...(detail ? { detail } : {}) };
  }

  async #run(p: RequestPacket, req: FetchRequest, rinfo: RemoteInfo, entry: Running): Promise<void> {
    let socket: Socket | undefined;
    let channel: Channel;
    // dgram sends are queued: closing the socket before they leave would drop the last packet
    // (an ERROR 1, the final DATA), so the close waits for the queue to drain.
    let pending = 0;
    let flushed: (() => void) | undefined;
    let gone = (): void => undefined;
    const onSendError = (err: Error | null): void => {
      if (!err) return;
      // ECONNREFUSED on a connected socket: the client's port is closed, it went away.
      if ((err as NodeJS.ErrnoException).code === 'ECONNREFUSED') gone();
    };
    if (this.#s.singlePort) {
      const main = this.#socket!;
      channel = { send: (b) => main.send(b as Buffer | Buffer[], rinfo.port, rinfo.address, onSendError) };
    } else {
      try {
        socket = await this.#transferSocket(rinfo);
      } catch (err) {
        this.#o.logger.error({ err, protocol: 'tftp' }, 'could not open a transfer socket');
        this.#replyError(rinfo, ERR.NOT_DEFINED, 'internal error', false);
        this.#o.pipeline.refuse(req, 'failed', 'socket_error', ERR.NOT_DEFINED);
        return;
      }
      const s = socket;
      channel = {
        send: (b) => {
          pending++;
          try {
            s.send(b as Buffer | Buffer[], (err) => {
              onSendError(err);
              if (--pending === 0) flushed?.();
            });
          } catch {
            // Socket closed under us (shutdown): nothing to send to.
            pending--;
          }
        },
      };
      s.on('error', onSendError);
      s.on('message', (msg, from) => {
        // The connected socket already filters; this also covers the instant before connect().
        if (from.port === rinfo.port && from.address === rinfo.address) entry.onPacket?.(msg);
      });
    }
    try {
      const limits = this.#profiles.limitsFor(req.peer.address);
      if (p.op === 'rrq') {
        await this.#o.pipeline.handle(req, (resolution) =>
          answerRead(
            {
              request: p,
              channel,
              limits,
              retransmit: this.#s.retransmit,
              started: (t) => {
                entry.onPacket = (b) => t.onPacket(b);
                entry.abort = (m) => t.abort(m);
                entry.superseded = () => t.peerGone();
                gone = () => t.peerGone();
              },
            },
            resolution,
          ),
        );
      } else {
        await runUpload({ pipeline: this.#o.pipeline, request: p, req, channel, limits, retransmit: this.#s.retransmit, entry, onGone: (f) => (gone = f) });
      }
    } finally {
      if (socket) {
        if (pending > 0) {
          await new Promise<void>((r) => {
            flushed = r;
            setTimeout(r, 1000).unref();
          });
        }
        socket.close();
      }
    }
  }

  #transferSocket(rinfo: RemoteInfo): Promise<Socket> {
    const s = createSocket({ type: this.#type });
    return new Promise((resolve, reject) => {
      s.once('error', reject);
      s.bind({ port: 0, address: this.#host }, () => {
        s.connect(rinfo.port, rinfo.address, () => {
          s.off('error', reject);
          resolve(s);
        });
      });
    }).catch((err: unknown) => {
      try {
        s.close();
      } catch {
        // already closed
      }
      throw err;
    }) as Promise<Socket>;
  }

  /** Sends an ERROR from the listening socket; `limited` replies obey the per-address budget. */
  #replyError(rinfo: RemoteInfo, code: number, message: string, limited = true): void {
    if (limited && !this.#replies.allow(rinfo.address)) return;
    this.#socket?.send(encodeError(code, message), rinfo.port, rinfo.address, () => undefined);
  }
}

/** True when `msg` is a request (RRQ/WRQ) for something other than `current`. */
function isOtherRequest(msg: Buffer, current: RequestPacket): boolean {
  if (msg.length < 2) return false;
  const op = msg.readUInt16BE(0);
  if (op !== OP.RRQ && op !== OP.WRQ) return false;
  const d = decode(msg);
  return d.ok && (d.packet.op !== current.op || (d.packet.op === 'rrq' || d.packet.op === 'wrq' ? d.packet.filename !== current.filename : false));
}
