/**
 * The fetch ledger on SQLite (design §4): the daemon's single writer.
 *
 * `record()` does no SQLite work at all: it decides `changed` from an in-memory map of last
 * deliveries and appends the row to a compact batch (batch.ts). The batch goes to the writer
 * thread (ledger-worker.ts) when it reaches `batchSize` or `flushIntervalMs` after its first
 * row; that thread owns the read-write connection, so inserts, WAL checkpoints and fsyncs
 * never stall the event loop. `query`, `flush`, `prune` and `close` stay synchronous: they
 * block until the writer has handled everything queued before them (Atomics.wait), which is
 * fine for calls that are rare and never on the request path.
 *
 * The baseline map is loaded whole at open time, on this thread, from the small
 * `last_delivery` table (one row per device and file, about 50k rows for 10k phones x 5
 * files: a few MB and tens of ms at start) rather than lazily per key: a lazy load would put
 * a synchronous read on the first request of every device, which is exactly when a whole site
 * boots at once; the full map also answers `lastDeliveries()` for status and resync.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Mac } from '../core/mac.js';
import type { LastDelivery, Ledger, LedgerEntry, LedgerQuery, LedgerRow } from './types.js';
import { BatchBuilder } from './batch.js';
import { migrateLedger } from './schema.js';
import { deliveryKey, readLastDeliveries, serialiseDetail, validateEntry } from './rows.js';
import { WriterThread, type LedgerLogger } from './writer-thread.js';

export type { LedgerLogger } from './writer-thread.js';

export interface SqliteLedgerOptions {
  /** Database file (parents are created) or `:memory:`. */
  readonly file: string;
  readonly logger?: LedgerLogger;
  /** Longest a queued row waits before it is written (default 200 ms; under load the batch size fills first). */
  readonly flushIntervalMs?: number;
  /**
   * Rows per insert transaction; reaching it flushes at once (default 4096). Large transactions
   * matter because every row also lands at a random place in the (mac, time) index: each commit
   * writes each index page it touched once, so rows per commit share pages. Writer-thread CPU
   * per row (2,000 phones, 200k rows): 14.5 µs in 512-row transactions, 9.4 µs in 4096-row ones.
   */
  readonly batchSize?: number;
  /** Queued rows kept while the disk refuses writes; beyond it the oldest are dropped (default 100k). */
  readonly maxQueued?: number;
  /** How long a write waits for a lock another connection holds (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /** Rows deleted per slice (one transaction) while pruning (default 1000). */
  readonly pruneBatch?: number;
  /**
   * Rows per INSERT statement on the writer thread (default 16; 1 = one statement per row):
   * multi-row statements measured ~15-20% cheaper per row than single-row ones, 16 and 64 alike.
   * Tuning knob for bench/ledger/record.mjs; not a setting users need.
   */
  readonly insertChunk?: number;
}

/** The SQLite ledger; adds the bulk baseline accessor the status view needs. */
export interface SqliteLedger extends Ledger {
  /** Every device's last delivery per file, keyed by `deliveryKey(mac, file)`; a live view. */
  lastDeliveries(): ReadonlyMap<string, LastDelivery>;
  /**
   * `prune` that does not block: each slice runs on the writer thread and the next is asked
   * for only when the previous answered, so batches interleave with slices and the daemon
   * keeps serving (synchronous `prune` blocks the caller for the whole run: ~30k rows/s
   * measured). Stops early, returning the count so far, if the ledger is closed meanwhile.
   */
  pruneAsync(olderThan: number): Promise<number>;
}

function positiveInt(name: string, v: number | undefined, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < min) throw new RangeError(`ledger: ${name} must be an integer >= ${min}, got ${String(v)}`);
  return v;
}

/** Creates or migrates the file and reads the baseline, on a connection closed again at once. */
function prepareFile(file: string, busyTimeoutMs: number): Map<string, LastDelivery> {
  if (file === ':memory:') return new Map(); // the writer's own connection is the database
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    // WAL is a property of the file: set once here, it holds for the writer and the CLI.
    db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    migrateLedger(db);
    return readLastDeliveries(db);
  } finally {
    db.close();
  }
}

/**
 * Opens (creating and migrating when needed) the ledger file and starts its writer thread.
 * WAL lets the CLI read while the daemon writes; synchronous=NORMAL in WAL loses at most the
 * last transactions on power loss, never consistency; busy_timeout covers the moments a
 * checkpoint or another process holds the lock.
 */
export function openSqliteLedger(opts: SqliteLedgerOptions): SqliteLedger {
  const flushIntervalMs = positiveInt('flushIntervalMs', opts.flushIntervalMs, 200, 0);
  const batchSize = positiveInt('batchSize', opts.batchSize, 4096, 1);
  const maxQueued = Math.max(positiveInt('maxQueued', opts.maxQueued, 100_000, 1), batchSize);
  const pruneBatch = positiveInt('pruneBatch', opts.pruneBatch, 1000, 1);
  const busyTimeoutMs = positiveInt('busyTimeoutMs', opts.busyTimeoutMs, 5000, 0);
  const insertChunk = positiveInt('insertChunk', opts.insertChunk, 16, 1);
  const log = opts.logger;

  const baseline = prepareFile(opts.file, busyTimeoutMs);
  const writer = new WriterThread(
    { file: opts.file, busyTimeoutMs, maxQueued, pruneBatch, retryMs: flushIntervalMs, insertChunk },
    log,
  );
  let pending = new BatchBuilder(batchSize);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  function assertOpen(what: string): void {
    if (closed) throw new Error(`ledger.${what}: the ledger is closed`);
  }

  /** Hands the pending rows to the writer; they are written as soon as it is free. */
  function post(): void {
    const batch = pending.take();
    if (batch !== undefined) writer.post(batch);
  }

  function onTimer(): void {
    timer = undefined;
    post();
  }

  function checkCutOff(what: string, olderThan: number): void {
    assertOpen(what);
    if (!Number.isFinite(olderThan)) throw new RangeError(`ledger.${what}: cut-off must be a time in ms, got ${String(olderThan)}`);
  }

  return {
    /*
     * The `changed` rule: an entry is a *delivery* when delivered === true and it carries mac,
     * file and md5. For a delivery, changed = null if this device never received this file
     * before, else (md5 !== previous md5); the delivery then becomes the new baseline. Every
     * other entry (404, denied, HEAD, partial range, aborted, unidentified device) gets
     * changed = null and leaves the baseline alone. "Previous" means the previous delivery
     * recorded, in record() order (the order transfers finished), not by `time`. The writer
     * thread applies the same rule to keep `last_delivery` in step (ledger-worker.ts).
     */
    record(entry: LedgerEntry) {
      assertOpen('record');
      validateEntry(entry);
      let changed: boolean | null = null;
      if (entry.delivered && entry.mac !== undefined && entry.file !== undefined && entry.md5 !== undefined) {
        const key = deliveryKey(entry.mac, entry.file);
        const prev = baseline.get(key);
        changed = prev === undefined ? null : prev.md5 !== entry.md5;
        baseline.set(key, { md5: entry.md5, time: entry.time });
      }
      let detail: string | null = null;
      if (entry.detail !== undefined) {
        const d = serialiseDetail(entry.detail);
        if (d.error !== undefined) log?.warn({ path: entry.path, err: d.error }, 'ledger: request detail not serialisable, dropped');
        detail = d.json;
      }
      pending.add(entry, detail, changed);
      if (pending.length >= batchSize) post();
      else if (timer === undefined) {
        // Left running when a full batch goes early: it then just sends a smaller batch.
        timer = setTimeout(onTimer, flushIntervalMs);
        timer.unref();
      }
      return { changed };
    },

    lastDelivery(mac: Mac, file: string) {
      assertOpen('lastDelivery');
      return baseline.get(deliveryKey(mac, file));
    },

    lastDeliveries() {
      assertOpen('lastDeliveries');
      return baseline;
    },

    query(q: LedgerQuery): readonly LedgerRow[] {
      assertOpen('query');
      post();
      return writer.call({ kind: 'query', q }) as readonly LedgerRow[];
    },

    flush() {
      assertOpen('flush');
      post();
      writer.call({ kind: 'flush' });
    },

    /*
     * Deletes in slices of `pruneBatch` rows, each its own transaction, so the write lock is
     * released between slices and a reader or checkpoint is never starved for long. Queued
     * rows older than the cut-off go too. The `last_delivery` baseline is kept: status must
     * not forget a file a phone took long ago.
     */
    prune(olderThan: number) {
      checkCutOff('prune', olderThan);
      post();
      return writer.call({ kind: 'prune', olderThan }) as number;
    },

    async pruneAsync(olderThan: number) {
      checkCutOff('pruneAsync', olderThan);
      post();
      let total = 0;
      for (;;) {
        const n = (await writer.callAsync({ kind: 'pruneSlice', olderThan })) as number;
        total += n;
        if (n < pruneBatch || closed) return total;
        // A MessagePort delivers answers that arrive while it is delivering in the same turn,
        // so without this a fast writer would chain every slice past pending I/O callbacks.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (closed) return total;
      }
    },

    close() {
      if (closed) return;
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      try {
        post();
        writer.stop();
      } catch (err) {
        log?.error({ err: err instanceof Error ? err.message : String(err) }, 'ledger: final write failed, records lost');
      } finally {
        pending = new BatchBuilder(1);
      }
    },
  };
}
