/**
 * One RRQ transfer after negotiation: sends windows of DATA (RFC 7440; windowsize 1 is RFC 1350
 * lockstep), advances on ACKs, retransmits with exponential backoff until a total deadline.
 * Independent of sockets: packets arrive through `onPacket`, leave through the channel.
 */
import { decode, encodeDataHeader, encodeError, ERR, OP } from './codec.js';
import type { BlockSource } from './blocks.js';

/** Sends a datagram to the transfer's peer; must not throw. */
export interface Channel {
  /** One datagram; a list is sent gathered (header and payload without a copy). */
  send(packet: Buffer | readonly Buffer[]): void;
}

export interface RetransmitPolicy {
  /** First retransmission after this long without an ACK; doubled on every retry. */
  readonly initialMs: number;
  /** The doubling stops here. */
  readonly maxMs: number;
  /** Without any progress for this long the transfer is given up (`timed_out`). */
  readonly giveUpMs: number;
}

export type TransferEnd =
  | 'completed'
  | 'timed_out'
  | 'client_error'
  | 'client_gone'
  | 'read_error'
  | 'shutdown';

export interface ReadReport {
  readonly end: TransferEnd;
  /** Data blocks the client acknowledged. */
  readonly blocksAcked: number;
  /** Payload bytes the client acknowledged. */
  readonly bytesAcked: number;
  /** Packets (DATA or OACK) sent again after a timeout. */
  readonly retransmissions: number;
  /** ACKs that did not move the window: duplicates and stale ones, ignored. */
  readonly duplicateAcks: number;
  /**
   * The final block went out but its ACK never came back. When the client then vanished, it
   * most likely got the file and its last ACK was lost; the ledger says so rather than guess.
   */
  readonly lastBlockSent: boolean;
  /** The client's ERROR, when it sent one. */
  readonly clientError?: { readonly code: number; readonly message: string };
  /** Error code of a failed disk read. */
  readonly readError?: string;
}

export interface ReadTransferOptions {
  readonly channel: Channel;
  readonly source: BlockSource;
  readonly blksize: number;
  readonly windowsize: number;
  /** OACK to send first (acknowledged by ACK 0), or undefined to start with DATA 1. */
  readonly oack?: Buffer;
  readonly retransmit: RetransmitPolicy;
}

export class ReadTransfer {
  readonly #o: ReadTransferOptions;
  readonly #lastBlock: number;
  /** First block not yet acknowledged; 0 while the OACK is unacknowledged. */
  #base: number;
  /** Highest block sent in the current window. */
  #sentTo = -1;
  #rtoMs: number;
  #lastProgress = Date.now();
  #timer: NodeJS.Timeout | undefined;
  #timerAt = 0;
  /** When the retransmission is due; the timer may fire before and re-schedule. */
  #due = 0;
  /** Bumped whenever a new window starts, so a window still awaiting disk reads stops. */
  #generation = 0;
  #retransmissions = 0;
  #duplicateAcks = 0;
  #done = false;
  #resolve!: (r: ReadReport) => void;
  readonly #finished: Promise<ReadReport>;

  constructor(o: ReadTransferOptions) {
    this.#o = o;
    // RFC 1350 §6: a block shorter than blksize ends the transfer, so a size that is an exact
    // multiple of blksize ends with an empty block.
    this.#lastBlock = Math.floor(o.source.size / o.blksize) + 1;
    this.#base = o.oack ? 0 : 1;
    this.#rtoMs = o.retransmit.initialMs;
    this.#finished = new Promise((r) => (this.#resolve = r));
  }

  /** Starts sending; resolves once when the transfer ends, whichever way. Never rejects. */
  run(): Promise<ReadReport> {
    this.#lastProgress = Date.now();
    this.#sendWindow(false);
    return this.#finished;
  }

  /** A datagram from the peer. */
  onPacket(buf: Buffer): void {
    if (this.#done || buf.length < 4) return;
    // The ACK is read in place: it is the one packet per block, so it skips the general decoder.
    const op = buf.readUInt16BE(0);
    if (op === OP.ERROR) {
      const d = decode(buf);
      if (d.ok && d.packet.op === 'error') {
        this.#finish('client_error', { clientError: { code: d.packet.code, message: d.packet.message.slice(0, 200) } });
      }
      return;
    }
    if (op !== OP.ACK) return; // a repeated RRQ or stray DATA: nothing to act on
    const acked = this.#absolute(buf.readUInt16BE(2));
    if (acked === undefined || acked < this.#base) {
      // RFC 1350 / RFC 1123 §4.2.3.1: never answer a duplicate ACK with DATA (Sorcerer's
      // Apprentice); only the timer retransmits.
      this.#duplicateAcks++;
      return;
    }
    this.#lastProgress = Date.now();
    this.#rtoMs = this.#o.retransmit.initialMs;
    if (acked === this.#lastBlock) {
      this.#base = acked + 1;
      this.#finish('completed');
      return;
    }
    // A full window, or RFC 7440 §4's partial one: the next window starts after the ACKed block.
    this.#base = acked + 1;
    this.#sendWindow(false);
  }

  /** The socket reported that the peer is unreachable (ICMP port unreachable). */
  peerGone(): void {
    this.#finish('client_gone');
  }

  /** Ends the transfer now (daemon stopping); the client gets an ERROR. */
  abort(message: string): void {
    if (this.#done) return;
    this.#o.channel.send(encodeError(ERR.NOT_DEFINED, message));
    this.#finish('shutdown');
  }

  /**
   * Maps a 16-bit ACK onto the window: the block in [base-1, sentTo] with those low bits. The
   * window is far smaller than 65536, so there is at most one (this is what makes rollover safe).
   */
  #absolute(wire: number): number | undefined {
    const low = Math.max(0, this.#base - 1);
    const candidate = this.#sentTo - ((this.#sentTo - wire) & 0xffff);
    return candidate >= low && candidate <= this.#sentTo ? candidate : undefined;
  }

  #sendWindow(retransmit: boolean): void {
    const generation = ++this.#generation;
    this.#arm();
    if (this.#base === 0) {
      this.#o.channel.send(this.#o.oack!);
      this.#sentTo = 0;
      if (retransmit) this.#retransmissions++;
      return;
    }
    const last = Math.min(this.#base + this.#o.windowsize - 1, this.#lastBlock);
    this.#sendBlocks(generation, this.#base, last, retransmit);
  }

  #sendBlocks(generation: number, from: number, to: number, retransmit: boolean): void {
    // Blocks already in memory go out synchronously; only a disk read makes this asynchronous.
    for (let b = from; b <= to; b++) {
      let got: Buffer | Promise<Buffer>;
      try {
        got = this.#o.source.block(b);
      } catch (err) {
        this.#readFailed(err);
        return;
      }
      if (got instanceof Promise) {
        got.then(
          (payload) => {
            if (this.#done || generation !== this.#generation) return;
            this.#emit(b, payload, retransmit);
            this.#sendBlocks(generation, b + 1, to, retransmit);
          },
          (err: unknown) => this.#readFailed(err),
        );
        return;
      }
      if (this.#done || generation !== this.#generation) return;
      this.#emit(b, got, retransmit);
    }
  }

  #emit(b: number, payload: Buffer, retransmit: boolean): void {
    this.#o.channel.send([encodeDataHeader(b), payload]);
    if (b > this.#sentTo) this.#sentTo = b;
    if (retransmit) this.#retransmissions++;
  }

  #readFailed(err: unknown): void {
    if (this.#done) return;
    const code = (err as NodeJS.ErrnoException).code ?? 'read_error';
    this.#o.channel.send(encodeError(ERR.NOT_DEFINED, 'read error'));
    this.#finish('read_error', { readError: code });
  }

  /**
   * Arms the retransmission for `rto` from now (cut short so the give-up deadline holds). Every
   * ACK re-arms it, so instead of a timer per packet there is one that, when it fires early,
   * just waits out the rest.
   */
  #arm(): void {
    const now = Date.now();
    const left = this.#o.retransmit.giveUpMs - (now - this.#lastProgress);
    this.#due = now + Math.max(1, Math.min(this.#rtoMs, left));
    if (this.#timer === undefined || this.#timerAt > this.#due) this.#schedule(this.#due - now);
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    this.#timerAt = Date.now() + ms;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const early = this.#due - Date.now();
      if (early > 0) this.#schedule(early);
      else this.#onTimeout();
    }, ms);
  }

  #onTimeout(): void {
    if (this.#done) return;
    if (Date.now() - this.#lastProgress >= this.#o.retransmit.giveUpMs) {
      this.#finish('timed_out');
      return;
    }
    this.#rtoMs = Math.min(this.#rtoMs * 2, this.#o.retransmit.maxMs);
    this.#sendWindow(true);
  }

  #finish(end: TransferEnd, extra: Partial<ReadReport> = {}): void {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const blocksAcked = Math.max(0, this.#base - 1);
    this.#resolve({
      end,
      blocksAcked,
      bytesAcked: Math.min(this.#o.source.size, blocksAcked * this.#o.blksize),
      retransmissions: this.#retransmissions,
      duplicateAcks: this.#duplicateAcks,
      lastBlockSent: this.#sentTo >= this.#lastBlock,
      ...extra,
    });
  }
}
