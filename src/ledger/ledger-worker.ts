/**
 * The ledger's writer thread: owns the read-write SQLite connection, so inserts, WAL
 * checkpoints and their fsyncs never run on the daemon's event loop (they caused ~1 s latency
 * spikes there under load). Started by writer-thread.ts; speaks worker-protocol.ts.
 *
 * Batches are queued and written together in one transaction as soon as the thread is free,
 * so batches that arrive while a write is in progress coalesce. A failed write keeps its rows
 * and is retried after retryMs or with the next batch; until a write succeeds again, rows
 * beyond maxQueued are dropped, oldest first (as when the writer ran on the main thread).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { decodeBatch, PARAMS_PER_ROW, type EncodedBatch } from './batch.js';
import { COLUMNS, deliveryKey, insertSql, runQuery } from './rows.js';
import { migrateLedger } from './schema.js';
import {
  SIGNAL_REPLY, SIGNAL_STATE, STATE_EXITED, STATE_READY, toWireError, type WriterCall, type WriterEvent, type WriterInit, type WriterRequest,
} from './worker-protocol.js';

type SqlValue = string | number | null;

const init = workerData as WriterInit;
if (parentPort === null || init === null || typeof init !== 'object' || !(init.signal instanceof SharedArrayBuffer)) {
  throw new Error('ledger-worker.js runs only as the ledger writer thread (started by openSqliteLedger)');
}
const port = parentPort;
const signal = new Int32Array(init.signal);
const events = init.events;

const col = (name: (typeof COLUMNS)[number]): number => COLUMNS.indexOf(name);
const C_TIME = col('time');
const C_MAC = col('mac');
const C_FILE = col('file');
const C_MD5 = col('md5');
const C_DELIVERED = col('delivered');

function emit(ev: WriterEvent): void {
  events.postMessage(ev);
}

function log(level: 'warn' | 'error', obj: Record<string, unknown>, msg: string): void {
  emit({ kind: 'log', level, obj, msg });
}

function wake(): void {
  Atomics.add(signal, SIGNAL_REPLY, 1);
  Atomics.notify(signal, SIGNAL_REPLY);
}

// A caller blocked in Atomics.wait must learn that no answer will come.
process.on('exit', () => {
  Atomics.store(signal, SIGNAL_STATE, STATE_EXITED);
  wake();
});

const db = new Database(init.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma(`busy_timeout = ${init.busyTimeoutMs}`);
// A no-op for a file the main thread already migrated; needed for ':memory:'.
migrateLedger(db);

const chunk = Math.max(1, init.insertChunk);
// One array argument binds as the anonymous parameters in order (no spread of 1280 values).
const insertOne = db.prepare<[SqlValue[]]>(insertSql(1));
const insertMany = chunk > 1 ? db.prepare<[SqlValue[]]>(insertSql(chunk)) : undefined;
const upsert = db.prepare<[string, string, string, number]>(
  'INSERT INTO last_delivery (mac, file, md5, time) VALUES (?, ?, ?, ?) ' +
    'ON CONFLICT (mac, file) DO UPDATE SET md5 = excluded.md5, time = excluded.time',
);
const pruneStep = db.prepare<[number, number]>(
  'DELETE FROM fetches WHERE id IN (SELECT id FROM fetches WHERE time < ? LIMIT ?)',
);

Atomics.store(signal, SIGNAL_STATE, STATE_READY);
wake();

/** A received batch; `from` moves past rows dropped by the maxQueued bound. */
interface Pending {
  readonly batch: EncodedBatch;
  from: number;
}

let backlog: Pending[] = [];
let queued = 0;
let writeScheduled = false;
/** A write failed and none has succeeded since: the maxQueued bound applies. */
let failing = false;
let retryTimer: NodeJS.Timeout | undefined;

const writeAll = db.transaction((parts: readonly Pending[]) => {
  // Only the last baseline per key matters; rows are in record() order.
  const latest = new Map<string, [string, string, string, number]>();
  for (const part of parts) {
    const params = decodeBatch(part.batch, part.from);
    const rows = params.length / PARAMS_PER_ROW;
    let r = 0;
    if (insertMany !== undefined) {
      for (; r + chunk <= rows; r += chunk) insertMany.run(params.slice(r * PARAMS_PER_ROW, (r + chunk) * PARAMS_PER_ROW));
    }
    for (; r < rows; r++) insertOne.run(params.slice(r * PARAMS_PER_ROW, (r + 1) * PARAMS_PER_ROW));
    // The `changed` rule's notion of a delivery (sqlite.ts record()), read back from the row.
    for (let o = 0; o < params.length; o += PARAMS_PER_ROW) {
      const mac = params[o + C_MAC];
      const file = params[o + C_FILE];
      const md5 = params[o + C_MD5];
      const time = params[o + C_TIME];
      if (params[o + C_DELIVERED] !== 1 || typeof mac !== 'string' || typeof file !== 'string' || typeof md5 !== 'string' || typeof time !== 'number') continue;
      latest.set(deliveryKey(mac, file), [mac, file, md5, time]);
    }
  }
  for (const b of latest.values()) upsert.run(...b);
});

/** Writes the whole backlog in one transaction; on failure it rolled back and the backlog is intact. */
function writeNow(): void {
  if (queued === 0) return;
  writeAll(backlog);
  backlog = [];
  queued = 0;
  failing = false;
  if (retryTimer !== undefined) { clearTimeout(retryTimer); retryTimer = undefined; }
}

function tryWrite(): void {
  try {
    writeNow();
  } catch (err) {
    failing = true;
    log('error', { err: toWireError(err).message, queued }, 'ledger: batch write failed, will retry');
    bound();
    retryTimer ??= setTimeout(() => {
      retryTimer = undefined;
      tryWrite();
    }, init.retryMs);
  }
}

/** While the disk refuses writes, keep memory bounded: lose the oldest rows beyond maxQueued. */
function bound(): void {
  if (queued <= init.maxQueued) return;
  const dropped = queued - init.maxQueued;
  let drop = dropped;
  while (drop > 0) {
    const head = backlog[0];
    if (head === undefined) break;
    const left = head.batch.rows - head.from;
    if (left <= drop) {
      backlog.shift();
      drop -= left;
    } else {
      head.from += drop;
      drop = 0;
    }
  }
  queued = init.maxQueued;
  log('error', { dropped }, 'ledger: queue full, oldest unwritten records dropped');
}

function enqueue(batch: EncodedBatch): void {
  backlog.push({ batch, from: 0 });
  queued += batch.rows;
  // Not while writes succeed: then the backlog is only what arrived during the last write
  // (a burst can exceed maxQueued for a moment), and dropping it would lose rows for nothing.
  if (failing) bound();
  if (!writeScheduled) {
    writeScheduled = true;
    // After the batches already waiting in the channel, so they share this transaction.
    setImmediate(() => {
      writeScheduled = false;
      tryWrite();
    });
  }
}

function answer(call: WriterCall): number | ReturnType<typeof runQuery> | null {
  switch (call.kind) {
    case 'flush':
      writeNow();
      return null;
    case 'query':
      writeNow();
      return runQuery(db, call.q);
    case 'prune': {
      writeNow();
      let total = 0;
      for (;;) {
        const n = pruneStep.run(call.olderThan, init.pruneBatch).changes;
        total += n;
        if (n < init.pruneBatch) return total;
      }
    }
    case 'pruneSlice':
      writeNow();
      return pruneStep.run(call.olderThan, init.pruneBatch).changes;
    case 'close':
      try {
        writeNow();
      } catch (err) {
        log('error', { err: toWireError(err).message, lost: queued }, 'ledger: final write failed, records lost');
      }
      backlog = [];
      queued = 0;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      retryTimer = undefined;
      db.close();
      port.removeAllListeners('message');
      return null;
  }
}

port.on('message', (req: WriterRequest) => {
  if (req.kind === 'batch') {
    enqueue(req.batch);
    return;
  }
  try {
    emit({ kind: 'reply', seq: req.seq, ok: true, value: answer(req) });
  } catch (err) {
    emit({ kind: 'reply', seq: req.seq, ok: false, error: toWireError(err) });
  }
  wake();
});
