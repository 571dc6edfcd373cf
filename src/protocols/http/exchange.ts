/**
 * One request/response pair as the adapter sees it: the settled state of the response and a
 * tally of body bytes the socket actually took, which is what an aborted transfer reports.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpCredentials } from './credentials.js';
import type { NonceAuthority } from './nonce.js';

/** Settings every exchange of one server shares. */
export interface ExchangeSettings {
  readonly nonces: NonceAuthority;
  /** Realm to challenge with when the pipeline names none. */
  readonly realm: string;
}

export class Exchange {
  /** The response was handed to the OS in full. */
  finished = false;
  /** The response (or its connection) is gone; after `finished`, or instead of it. */
  closed = false;
  /** Body bytes whose socket write completed without error. */
  flushed = 0;
  /** Resolves true on 'finish', false when the connection closed first. */
  readonly settled: Promise<boolean>;
  /** What the client presented; set once the request line has been accepted. */
  credentials: HttpCredentials | undefined;

  /** `onClose` runs once when the response is gone, however it ended. */
  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly settings: ExchangeSettings,
    onClose: () => void,
  ) {
    this.settled = new Promise<boolean>((resolve) => {
      res.once('finish', () => {
        this.finished = true;
        resolve(true);
      });
      res.once('close', () => {
        this.closed = true;
        resolve(this.finished);
        onClose();
      });
    });
  }

  get method(): string {
    return this.req.method ?? '';
  }

  /**
   * Writes a body chunk. It is counted when the socket reports the write done, so bytes still
   * queued when the client vanished are not claimed. False means: wait for `drain()`.
   */
  write(chunk: Buffer): boolean {
    return this.res.write(chunk, (err) => {
      if (!err) this.flushed += chunk.length;
    });
  }

  /** Waits until the response can take more; false when the connection closed instead. */
  drain(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const onDrain = (): void => {
        this.res.off('close', onClose);
        resolve(true);
      };
      const onClose = (): void => {
        this.res.off('drain', onDrain);
        resolve(false);
      };
      this.res.once('drain', onDrain);
      this.res.once('close', onClose);
    });
  }
}
