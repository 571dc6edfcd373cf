/**
 * Messages between the ledger (main thread) and its writer thread (ledger-worker.ts).
 *
 * Requests travel on the worker's own channel, so batches and requests reach the writer in the
 * order the main thread sent them: a `flush` answered means every batch posted before it was
 * handled. Everything the writer says travels on one MessageChannel port, in order, so a log
 * line it emitted before answering is seen before the answer. Synchronous calls also bump the
 * REPLY slot of a SharedArrayBuffer after posting, which lets the main thread block in
 * Atomics.wait and then take the answer with receiveMessageOnPort.
 */
import type { MessagePort } from 'node:worker_threads';
import type { EncodedBatch } from './batch.js';
import type { LedgerQuery, LedgerRow } from './types.js';

/** Int32 slots of the shared signal buffer. */
export const SIGNAL_REPLY = 0;
/** The writer's STATE_* (it bumps SIGNAL_REPLY on every change, so a waiting caller looks). */
export const SIGNAL_STATE = 1;
export const SIGNAL_SLOTS = 2;
/** Not yet running: the script is loading or the database opening (or loading failed). */
export const STATE_STARTING = 0;
export const STATE_READY = 1;
/** About to exit: no answer will come. */
export const STATE_EXITED = 2;

/** What the writer needs at start (workerData). */
export interface WriterInit {
  readonly file: string;
  readonly busyTimeoutMs: number;
  readonly maxQueued: number;
  readonly pruneBatch: number;
  /** Delay before a failed write is tried again. */
  readonly retryMs: number;
  /** Rows per multi-row INSERT statement (1 = one statement per row). */
  readonly insertChunk: number;
  readonly signal: SharedArrayBuffer;
  readonly events: MessagePort;
}

/** Requests that expect an answer; `seq` pairs the answer with its request. */
export type WriterCall =
  | { readonly kind: 'flush'; readonly seq: number }
  | { readonly kind: 'query'; readonly seq: number; readonly q: LedgerQuery }
  | { readonly kind: 'prune'; readonly seq: number; readonly olderThan: number }
  /** One `pruneBatch` slice; the answer is the number of rows it deleted. */
  | { readonly kind: 'pruneSlice'; readonly seq: number; readonly olderThan: number }
  | { readonly kind: 'close'; readonly seq: number };

export type WriterRequest =
  | { readonly kind: 'batch'; readonly batch: EncodedBatch }
  | WriterCall;

/** An error as it crosses the thread boundary. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

export type WriterEvent =
  | { readonly kind: 'reply'; readonly seq: number; readonly ok: true; readonly value: number | readonly LedgerRow[] | null }
  | { readonly kind: 'reply'; readonly seq: number; readonly ok: false; readonly error: WireError }
  | {
      readonly kind: 'log';
      readonly level: 'warn' | 'error';
      readonly obj: Record<string, unknown>;
      readonly msg: string;
    };

/** Plain data for an error, keeping the SQLite code (SQLITE_BUSY...) when there is one. */
export function toWireError(err: unknown): WireError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string'
      ? { name: err.name, message: err.message, code }
      : { name: err.name, message: err.message };
  }
  return { name: 'Error', message: String(err) };
}

/** Rebuilds an error on the receiving side, as a RangeError/TypeError when it was one. */
export function fromWireError(e: WireError): Error {
  const err = e.name === 'RangeError' ? new RangeError(e.message) : e.name === 'TypeError' ? new TypeError(e.message) : new Error(e.message);
  if (e.code !== undefined) Object.assign(err, { code: e.code });
  return err;
}
