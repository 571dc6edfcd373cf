/**
 * Syslog over TCP, RFC 6587: each frame is either octet-counted (`LEN SP MSG`, §3.4.1) or ends
 * at LF (non-transparent framing, §3.4.2). Senders pick one; we decide per frame from its first
 * byte, as rsyslog does. Frames longer than the cap are cut and the rest skipped, so one
 * connection cannot make us buffer more than `maxBytes`.
 */

export interface Frame {
  readonly bytes: Buffer;
  readonly truncated: boolean;
}

export class SyslogFramer {
  readonly #max: number;
  #buf: Buffer = Buffer.alloc(0);
  /** Bytes of an oversized octet-counted frame still to skip. */
  #skip = 0;
  /** Discarding an oversized LF frame until its LF. */
  #skipToLf = false;

  constructor(maxBytes: number) {
    this.#max = maxBytes;
  }

  /** Feeds bytes from the connection; returns the frames they complete. */
  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    for (;;) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, this.#buf.length);
        this.#skip -= n;
        this.#buf = this.#buf.subarray(n);
        if (this.#skip > 0) return frames;
      }
      if (this.#skipToLf) {
        const lf = this.#buf.indexOf(0x0a);
        if (lf < 0) {
          this.#buf = Buffer.alloc(0);
          return frames;
        }
        this.#buf = this.#buf.subarray(lf + 1);
        this.#skipToLf = false;
      }
      if (this.#buf.length === 0) return frames;
      const first = this.#buf[0]!;
      if (first >= 0x31 && first <= 0x39) {
        const sp = this.#buf.indexOf(0x20);
        if (sp < 0 || sp > 7) {
          if (sp < 0 && this.#buf.length <= 7) return frames; // the length is still arriving
          // Not a length after all: fall back to LF framing for this frame.
          const f = this.#lfFrame();
          if (!f) return frames;
          frames.push(f);
          continue;
        }
        const len = Number(this.#buf.subarray(0, sp).toString('latin1'));
        if (!Number.isInteger(len)) {
          const f = this.#lfFrame();
          if (!f) return frames;
          frames.push(f);
          continue;
        }
        const body = this.#buf.subarray(sp + 1);
        if (len > this.#max) {
          if (body.length < this.#max) return frames;
          frames.push({ bytes: Buffer.from(body.subarray(0, this.#max)), truncated: true });
          this.#skip = len - this.#max;
          this.#buf = body.subarray(this.#max);
          continue;
        }
        if (body.length < len) return frames;
        frames.push({ bytes: Buffer.from(body.subarray(0, len)), truncated: false });
        this.#buf = body.subarray(len);
        continue;
      }
      const f = this.#lfFrame();
      if (!f) return frames;
      frames.push(f);
    }
  }

  /** A frame ended by LF, or a cut one when the cap is reached first; undefined to wait. */
  #lfFrame(): Frame | undefined {
    const lf = this.#buf.indexOf(0x0a);
    if (lf >= 0 && lf <= this.#max) {
      const bytes = Buffer.from(this.#buf.subarray(0, lf));
      this.#buf = this.#buf.subarray(lf + 1);
      return { bytes: stripCr(bytes), truncated: false };
    }
    if (this.#buf.length < this.#max) return undefined;
    const bytes = Buffer.from(this.#buf.subarray(0, this.#max));
    this.#buf = this.#buf.subarray(this.#max);
    this.#skipToLf = true;
    return { bytes, truncated: true };
  }
}

function stripCr(b: Buffer): Buffer {
  return b.length > 0 && b[b.length - 1] === 0x0d ? b.subarray(0, b.length - 1) : b;
}
