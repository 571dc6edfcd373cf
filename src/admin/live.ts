/**
 * Server-sent events for the dashboard: one stream per open page, fed by the pipeline's record
 * hook. A slow or stalled client is dropped instead of buffering without bound (the phones'
 * fetches must never wait for a browser).
 */
import type { ServerResponse } from 'node:http';

const MAX_BUFFERED = 256 * 1024;
const KEEPALIVE_MS = 15_000;

export interface LiveEvent {
  readonly type: 'fetch' | 'inventory' | 'resync' | 'job';
  readonly data: Readonly<Record<string, unknown>>;
}

export class LiveEvents {
  readonly #clients = new Set<ServerResponse>();
  #timer: NodeJS.Timeout | undefined;
  #nextId = 1;

  /** Takes over a response as an event stream until the client goes away or stop(). */
  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    res.write(': provd live events\n\n');
    this.#clients.add(res);
    res.on('close', () => this.#clients.delete(res));
    this.#timer ??= setInterval(() => this.#broadcast(': keep-alive\n\n'), KEEPALIVE_MS);
    this.#timer.unref();
  }

  publish(e: LiveEvent): void {
    if (this.#clients.size === 0) return;
    this.#broadcast(`id: ${this.#nextId++}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
  }

  get clients(): number {
    return this.#clients.size;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const c of this.#clients) c.end();
    this.#clients.clear();
  }

  #broadcast(text: string): void {
    for (const c of this.#clients) {
      if (c.writableLength > MAX_BUFFERED) {
        c.destroy();
        this.#clients.delete(c);
        continue;
      }
      c.write(text);
    }
  }
}
