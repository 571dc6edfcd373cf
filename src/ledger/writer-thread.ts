/**
 * Main-thread handle on the ledger's writer thread (ledger-worker.ts): posts batches without
 * waiting, and offers the rare calls (flush, query, prune, close) both synchronously, by
 * blocking in Atomics.wait until the writer answers, and as promises.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { batchTransferList, type EncodedBatch } from './batch.js';
import {
  fromWireError, SIGNAL_REPLY, SIGNAL_SLOTS, SIGNAL_STATE, STATE_EXITED, STATE_STARTING,
  type WriterCall, type WriterEvent, type WriterInit, type WriterRequest,
} from './worker-protocol.js';

/** What the ledger logs: a structural subset of a pino logger. */
export interface LedgerLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

type Settings = Omit<WriterInit, 'signal' | 'events'>;

/**
 * How long a synchronous call waits for the writer to start. It normally takes ~50-100 ms;
 * a script that fails to load never says so to a thread blocked in Atomics.wait (its 'error'
 * event needs this thread's event loop), so without a limit that thread would wait forever.
 */
const START_TIMEOUT_MS = 30_000;
type CallValue = Extract<WriterEvent, { ok: true }>['value'];
/** A call as the caller states it; the thread handle numbers it. */
type Call = WriterCall extends infer C ? (C extends WriterCall ? Omit<C, 'seq'> : never) : never;

/**
 * Where the compiled writer is. From dist/ it is the sibling file. When this module runs from
 * the TypeScript sources (vitest), there is no sibling .js: use the build in dist/ instead,
 * which tsc lays out as dist/<path in repo> (rootDir "."), and which `npm test` refreshes
 * through `pretest`. A stale build there would run old writer code, hence the explicit error
 * when none exists rather than a silent fallback to anything else.
 */
export function writerScriptUrl(from: string = import.meta.url): URL {
  const sibling = new URL('./ledger-worker.js', from);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  const built = new URL('../../dist/src/ledger/ledger-worker.js', from);
  if (fileURLToPath(from).endsWith('.ts') && existsSync(fileURLToPath(built))) return built;
  throw new Error(
    `ledger: writer thread script not found (${fileURLToPath(sibling)}); build with \`npx tsc -p tsconfig.json\``,
  );
}

/** Young-generation cap of the writer thread's heap, in MB (see the constructor). */
const WRITER_YOUNG_MB = 6;

export class WriterThread {
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #signal: Int32Array;
  readonly #log: LedgerLogger | undefined;
  readonly #startTimeoutMs: number;
  readonly #waiting = new Map<number, { resolve: (v: CallValue) => void; reject: (e: Error) => void }>();
  #seq = 0;
  /** Why the thread is gone, once it is. */
  #gone: string | undefined;
  #stopping = false;
  #lost = 0;

  constructor(settings: Settings, log?: LedgerLogger, script: URL = writerScriptUrl(), startTimeoutMs = START_TIMEOUT_MS) {
    this.#log = log;
    this.#startTimeoutMs = startTimeoutMs;
    const shared = new SharedArrayBuffer(SIGNAL_SLOTS * Int32Array.BYTES_PER_ELEMENT);
    this.#signal = new Int32Array(shared);
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    const workerData: WriterInit = { ...settings, signal: shared, events: port2 };
    // A small young generation: the writer's garbage is one batch's decoded rows at a time, and
    // V8's default semi-spaces (16 MB each) would mostly add resident memory to the daemon.
    this.#worker = new Worker(script, { workerData, transferList: [port2], resourceLimits: { maxYoungGenerationSizeMb: WRITER_YOUNG_MB } });
    port1.on('message', (ev: WriterEvent) => this.#dispatch(ev));
    // Neither keeps the daemon alive: an unclosed ledger behaves as before (a pending flush
    // timer was unref'd too). The port is ref'd while an async call waits for its answer.
    port1.unref();
    this.#worker.unref();
    this.#worker.on('error', (err) => this.#lose(`failed: ${err.message}`));
    this.#worker.on('exit', (code) => this.#lose(`exited with code ${code}`));
  }

  /** Hands a batch over (its buffers are transferred). Rows are counted as lost once the thread is gone. */
  post(batch: EncodedBatch): void {
    if (this.#gone !== undefined) {
      if (this.#lost === 0) this.#log?.error({ reason: this.#gone }, 'ledger: writer thread is gone, records lost');
      this.#lost += batch.rows;
      return;
    }
    const req: WriterRequest = { kind: 'batch', batch };
    this.#worker.postMessage(req, batchTransferList(batch));
  }

  /**
   * Runs a call and blocks until the writer answered it, i.e. until it handled every batch
   * posted before. Throws the writer's error (a failed write, a bad query) as an Error.
   */
  call(call: Call): CallValue {
    const seq = this.#send(call);
    const started = Date.now();
    for (;;) {
      const seen = Atomics.load(this.#signal, SIGNAL_REPLY);
      const found = this.#drain(seq);
      if (found !== undefined) {
        if (found.ok) return found.value;
        throw fromWireError(found.error);
      }
      const state = Atomics.load(this.#signal, SIGNAL_STATE);
      if (state === STATE_EXITED) {
        // It may have answered just before exiting.
        const last = this.#drain(seq);
        if (last !== undefined) {
          if (last.ok) return last.value;
          throw fromWireError(last.error);
        }
        this.#lose('exited');
        throw new Error(`ledger: the writer thread ${this.#gone ?? 'exited'} before answering`);
      }
      if (state === STATE_STARTING && Date.now() - started > this.#startTimeoutMs) {
        this.#lose(`did not start within ${this.#startTimeoutMs} ms`);
        void this.#worker.terminate();
        throw new Error(`ledger: the writer thread ${this.#gone ?? 'did not start'}`);
      }
      // The timeout only bounds how long a silent failure could go unnoticed; waits repeat.
      Atomics.wait(this.#signal, SIGNAL_REPLY, seen, 200);
    }
  }

  /** Runs a call without blocking; the promise settles with the writer's answer. */
  callAsync(call: Call): Promise<CallValue> {
    return new Promise((resolve, reject) => {
      const seq = this.#send(call);
      this.#waiting.set(seq, { resolve, reject });
      this.#port.ref();
    });
  }

  /**
   * Closes the writer: it writes what it holds (logging what it cannot) and closes the
   * database before this returns. Idempotent.
   */
  stop(): void {
    if (this.#stopping) return;
    this.#stopping = true;
    try {
      if (this.#gone === undefined) this.call({ kind: 'close' });
    } finally {
      if (this.#lost > 0) this.#log?.error({ lost: this.#lost }, 'ledger: records lost since the writer thread stopped');
      this.#lose('closed');
      this.#port.close();
      void this.#worker.terminate();
    }
  }

  #send(call: Call): number {
    if (this.#gone !== undefined) throw new Error(`ledger: the writer thread ${this.#gone}`);
    const seq = ++this.#seq;
    const req = { ...call, seq } as WriterRequest;
    this.#worker.postMessage(req);
    return seq;
  }

  /** Takes the writer's messages in order until the answer to `seq`; dispatches the others. */
  #drain(seq: number): Extract<WriterEvent, { kind: 'reply' }> | undefined {
    for (let m = receiveMessageOnPort(this.#port); m !== undefined; m = receiveMessageOnPort(this.#port)) {
      const ev = m.message as WriterEvent;
      if (ev.kind === 'reply' && ev.seq === seq) return ev;
      this.#dispatch(ev);
    }
    return undefined;
  }

  #dispatch(ev: WriterEvent): void {
    if (ev.kind === 'log') {
      this.#log?.[ev.level](ev.obj, ev.msg);
      return;
    }
    const waiter = this.#waiting.get(ev.seq);
    if (waiter === undefined) return;
    this.#waiting.delete(ev.seq);
    if (this.#waiting.size === 0) this.#port.unref();
    if (ev.ok) waiter.resolve(ev.value);
    else waiter.reject(fromWireError(ev.error));
  }

  #lose(reason: string): void {
    if (this.#gone !== undefined) return;
    this.#gone = reason;
    if (!this.#stopping) this.#log?.error({ reason }, 'ledger: writer thread stopped unexpectedly');
    for (const w of this.#waiting.values()) w.reject(new Error(`ledger: the writer thread ${reason}`));
    this.#waiting.clear();
    this.#port.unref();
  }
}
