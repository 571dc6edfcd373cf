/**
 * Receiving side of a WRQ (RFC 1350 §6, RFC 7440 windows): the client's DATA blocks are handed
 * out in order through `body()`, which the pipeline's upload store pulls. Packets are only
 * acknowledged as the store consumes them, so a slow disk slows the client instead of growing
 * a queue; the last block is acknowledged by the caller once the file is stored (atomically),
 * so a client that sees the final ACK knows the upload is on disk.
 */
import { decode, encodeAck, encodeError, ERR } from './codec.js';
import type { Channel, RetransmitPolicy } from './read-transfer.js';

export interface WriteReceiverOptions {
  readonly channel: Channel;
  readonly blksize: number;
  readonly windowsize: number;
  /** OACK answering the WRQ, or undefined to answer with ACK 0. */
  readonly oack?: Buffer;
  readonly retransmit: RetransmitPolicy;
}

export class UploadAborted extends Error {
  constructor(readonly end: 'timed_out' | 'client_error' | 'client_gone' | 'shutdown') {
    super(`upload ${end.replace('_', ' ')}`);
  }
}

export class WriteReceiver {
  readonly #o: WriteReceiverOptions;
  /** Next block expected (absolute; the wire carries its low 16 bits). */
  #expected = 1;
  #lastAck: Buffer;
  #queue: Buffer[] = [];
  #wake: (() => void) | undefined;
  #failure: UploadAborted | undefined;
  #timer: NodeJS.Timeout | undefined;
  #rtoMs: number;
  #lastProgress = Date.now();
  #started = false;
  #finished = false;
  retransmissions = 0;
  bytes = 0;

  constructor(o: WriteReceiverOptions) {
    this.#o = o;
    this.#rtoMs = o.retransmit.initialMs;
    this.#lastAck = o.oack ?? encodeAck(0);
  }

  get started(): boolean {
    return this.#started;
  }

  /** The upload's bytes, block by block; throws UploadAborted when the client stops or errs. */
  async *body(): AsyncGenerator<Buffer> {
    this.#started = true;
    this.#send(this.#lastAck);
    for (;;) {
      while (this.#queue.length === 0) {
        if (this.#failure) throw this.#failure;
        await new Promise<void>((r) => (this.#wake = r));
      }
      const data = this.#queue.shift()!;
      this.bytes += data.length;
      const last = data.length < this.#o.blksize;
      const block = this.#expected++;
      if (last) {
        this.#finished = true;
        this.#lastAck = encodeAck(block);
        clearTimeout(this.#timer);
        yield data;
        return;
      }
      if (block % this.#o.windowsize === 0) {
        this.#lastAck = encodeAck(block);
        this.#send(this.#lastAck);
      }
      yield data;
    }
  }

  onPacket(buf: Buffer): void {
    if (this.#failure || !this.#started) return;
    const d = decode(buf);
    if (!d.ok) return;
    const p = d.packet;
    if (p.op === 'error') return this.#fail(new UploadAborted('client_error'));
    if (p.op !== 'data' || this.#finished) return;
    const next = this.#expected + this.#queue.length;
    if (p.block === (next & 0xffff)) {
      if (this.#queue.length >= this.#o.windowsize) return; // a flood beyond one window
      if (p.data.length > this.#o.blksize) return;
      this.#queue.push(Buffer.from(p.data));
      this.#lastProgress = Date.now();
      this.#rtoMs = this.#o.retransmit.initialMs;
      this.#arm();
      this.#wake?.();
      return;
    }
    // RFC 7440 §4: a block out of order means loss; re-acknowledge the last in-order block.
    this.#send(encodeAck(next - 1));
  }

  /** The stored file is on disk: acknowledge the last block. */
  acknowledgeLast(): void {
    this.#o.channel.send(this.#lastAck);
    this.close();
  }

  /** Refuses the rest of the upload with an ERROR. */
  refuse(code: number, message: string): void {
    this.#o.channel.send(encodeError(code, message));
    this.close();
  }

  peerGone(): void {
    this.#fail(new UploadAborted('client_gone'));
  }

  abort(message: string): void {
    this.#o.channel.send(encodeError(ERR.NOT_DEFINED, message));
    this.#fail(new UploadAborted('shutdown'));
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#finished = true;
  }

  #send(packet: Buffer): void {
    this.#o.channel.send(packet);
    this.#arm();
  }

  #arm(): void {
    clearTimeout(this.#timer);
    if (this.#finished) return;
    const left = this.#o.retransmit.giveUpMs - (Date.now() - this.#lastProgress);
    this.#timer = setTimeout(() => this.#onTimeout(), Math.max(1, Math.min(this.#rtoMs, left)));
  }

  #onTimeout(): void {
    if (this.#failure || this.#finished) return;
    if (Date.now() - this.#lastProgress >= this.#o.retransmit.giveUpMs) return this.#fail(new UploadAborted('timed_out'));
    this.#rtoMs = Math.min(this.#rtoMs * 2, this.#o.retransmit.maxMs);
    this.retransmissions++;
    this.#send(this.#lastAck);
  }

  #fail(err: UploadAborted): void {
    if (this.#failure) return;
    this.#failure = err;
    clearTimeout(this.#timer);
    this.#wake?.();
  }
}
