/**
 * Gathers log lines into chunks before they reach the file stream. sonic-boom appends each write
 * to its pending string and measures that whole string's UTF-8 length on every call, so one call
 * per fetch line cost about 3 µs at the daemon's request rates (bench/http/pipeline-loop.mjs);
 * one call per chunk of ~16 KB costs a join. Lines keep their order: every channel (pino's and
 * the hand-made `fetch` line) writes through the same buffer.
 */

/** What the buffer hands its chunks to (a sonic-boom destination). */
export interface ChunkSink {
  write(text: string): unknown;
  flushSync(): void;
}

export interface LineBufferOptions {
  /** A chunk is written once this many UTF-16 units are pending. */
  readonly chunkChars: number;
  /** Longest a line waits in the buffer, in ms. */
  readonly flushMs: number;
}

export class LineBuffer {
  readonly #sink: ChunkSink;
  readonly #opts: LineBufferOptions;
  #parts: string[] = [];
  #chars = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(sink: ChunkSink, opts: LineBufferOptions) {
    this.#sink = sink;
    this.#opts = opts;
  }

  /** Queues one or more complete lines. Always true: the buffer never asks callers to wait. */
  write(text: string): boolean {
    this.#parts.push(text);
    this.#chars += text.length;
    if (this.#chars >= this.#opts.chunkChars) this.flush();
    else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.flush();
      }, this.#opts.flushMs);
      this.#timer.unref();
    }
    return true;
  }

  /** Hands everything pending to the sink (which writes it asynchronously). */
  flush(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#parts.length === 0) return;
    const chunk = this.#parts.length === 1 ? this.#parts[0]! : this.#parts.join('');
    this.#parts = [];
    this.#chars = 0;
    this.#sink.write(chunk);
  }

  /** Writes out every pending line before returning; for the moments before the process exits. */
  flushSync(): void {
    this.flush();
    this.#sink.flushSync();
  }
}
