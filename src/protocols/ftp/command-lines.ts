/**
 * Splits the control connection's bytes into command lines (RFC 959 §4.1: CRLF, bare LF
 * accepted), queued until the session answers them. A line longer than the limit without its
 * end is a flood: `push` says so and the session drops the connection.
 */
export class CommandLines {
  readonly #maxLine: number;
  #buffer: Buffer = Buffer.alloc(0);
  readonly #queue: string[] = [];

  constructor(maxLine: number) {
    this.#maxLine = maxLine;
  }

  /** Adds received bytes; false when an unfinished line already exceeds the limit. */
  push(chunk: Buffer): boolean {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    let nl: number;
    while ((nl = this.#buffer.indexOf(0x0a)) >= 0) {
      this.#queue.push(this.#buffer.subarray(0, nl).toString('utf8').replace(/\r$/, ''));
      this.#buffer = this.#buffer.subarray(nl + 1);
    }
    return this.#buffer.length <= this.#maxLine;
  }

  shift(): string | undefined {
    return this.#queue.shift();
  }

  /** Complete lines waiting. */
  get queued(): number {
    return this.#queue.length;
  }

  /** True when any byte is waiting, complete line or not. */
  get pending(): boolean {
    return this.#queue.length > 0 || this.#buffer.length > 0;
  }
}
