/**
 * The fetch ledger on SQLite (design §4): the daemon's single writer.
 *
 * `record()` never touches the disk on the hot path. It decides `changed` from an in-memory
 * map of last deliveries and queues the row; queued rows go to SQLite in one transaction when
 * the queue reaches `batchSize` or `flushIntervalMs` after the first queued row.
 *
 * The baseline map is loaded whole at open time from the small `last_delivery` table (one
 * row per device and file, about 50k rows for 10k phones x 5 files: a few MB and tens of ms at
 * start) rather than lazily per key: a lazy load would put a synchronous SQLite read on the
 * first request of every device, which is exactly when a whole site boots at once; the full
 * map also answers `lastDeliveries()` for status and resync without a query.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Mac } from '../core/mac.js';
import type { LastDelivery, Ledger, LedgerEntry, LedgerQuery, LedgerRow } from './types.js';
import { migrateLedger } from './schema.js';
import {
  INSERT_SQL, deliveryKey, readLastDeliveries, runQuery, serialiseDetail, toParams, validateEntry,
} from './rows.js';

/** What the ledger logs: a structural subset of a pino logger. */
export interface LedgerLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export interface SqliteLedgerOptions {
  /** Database file (parents are created) or `:memory:`. */
  readonly file: string;
  readonly logger?: LedgerLogger;
  /** Longest a queued row waits before it is written (default 200 ms). */
  readonly flushIntervalMs?: number;
  /** Rows per insert transaction; reaching it flushes at once (default 500). */
  readonly batchSize?: number;
  /** Queued rows kept while the disk refuses writes; beyond it the oldest are dropped (default 100k). */
  readonly maxQueued?: number;
  /** How long a write waits for a lock another connection holds (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /** Rows deleted per slice (one transaction) while pruning (default 1000). */
  readonly pruneBatch?: number;
}

/** The SQLite ledger; adds the bulk baseline accessor the status view needs. */
export interface SqliteLedger extends Ledger {
  /** Every device's last delivery per file, keyed by `deliveryKey(mac, file)`; a live view. */
  lastDeliveries(): ReadonlyMap<string, LastDelivery>;
  /**
   * `prune` that yields to the event loop between slices, so the daemon keeps serving during a
   * large prune (synchronous `prune` blocks it for the whole run: ~30k rows/s measured). Stops
   * early, returning the count so far, if the ledger is closed meanwhile.
   */
  pruneAsync(olderThan: number): Promise<number>;
}

type SqlValue = string | number | null;
interface Queued {
  readonly params: SqlValue[];
  /** Set when this row moved the baseline: the upsert for `last_delivery`. */
  readonly baseline?: { readonly mac: string; readonly file: string; readonly md5: string; readonly time: number };
}

function positiveInt(name: string, v: number | undefined, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < min) throw new RangeError(`ledger: ${name} must be an integer >= ${min}, got ${String(v)}`);
  return v;
}

/**
 * Opens (creating and migrating when needed) the ledger file. WAL lets the CLI read while the
 * daemon writes; synchronous=NORMAL in WAL loses at most the last transactions on power loss,
 * never consistency; busy_timeout covers the moments a checkpoint or another process holds the
 * lock.
 */
export function openSqliteLedger(opts: SqliteLedgerOptions): SqliteLedger {
  const flushIntervalMs = positiveInt('flushIntervalMs', opts.flushIntervalMs, 200, 0);
  const batchSize = positiveInt('batchSize', opts.batchSize, 500, 1);
  const maxQueued = Math.max(positiveInt('maxQueued', opts.maxQueued, 100_000, 1), batchSize);
  const pruneBatch = positiveInt('pruneBatch', opts.pruneBatch, 1000, 1);
  const busyTimeoutMs = positiveInt('busyTimeoutMs', opts.busyTimeoutMs, 5000, 0);
  const log = opts.logger;

  if (opts.file !== ':memory:') mkdirSync(dirname(opts.file), { recursive: true });
  const db = new Database(opts.file);
  let baseline: Map<string, LastDelivery>;
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    migrateLedger(db);
    baseline = readLastDeliveries(db);
  } catch (err) {
    db.close();
    throw err;
  }

  const insert = db.prepare<SqlValue[]>(INSERT_SQL);
  const upsert = db.prepare<[string, string, string, number]>(
    'INSERT INTO last_delivery (mac, file, md5, time) VALUES (?, ?, ?, ?) ' +
      'ON CONFLICT (mac, file) DO UPDATE SET md5 = excluded.md5, time = excluded.time',
  );
  const writeBatch = db.transaction((rows: readonly Queued[]) => {
    // Only the last baseline per key in a batch matters; rows are in record() order.
    const latest = new Map<string, NonNullable<Queued['baseline']>>();
    for (const r of rows) {
      insert.run(...r.params);
      if (r.baseline) latest.set(deliveryKey(r.baseline.mac, r.baseline.file), r.baseline);
    }
    for (const b of latest.values()) upsert.run(b.mac, b.file, b.md5, b.time);
  });
  const pruneStep = db.prepare<[number, number]>(
    'DELETE FROM fetches WHERE id IN (SELECT id FROM fetches WHERE time < ? LIMIT ?)',
  );

  let queue: Queued[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  function assertOpen(what: string): void {
    if (closed) throw new Error(`ledger.${what}: the ledger is closed`);
  }

  function flushNow(): void {
    if (timer !== undefined) { clearTimeout(timer); timer = undefined; }
    if (queue.length === 0) return;
    const rows = queue;
    queue = [];
    try {
      writeBatch(rows);
    } catch (err) {
      // The transaction rolled back: put the rows back in front (still in order) and keep
      // memory bounded if the disk stays unwritable.
      queue = rows.concat(queue);
      if (queue.length > maxQueued) {
        const dropped = queue.length - maxQueued;
        queue = queue.slice(dropped);
        log?.error({ dropped }, 'ledger: queue full, oldest unwritten records dropped');
      }
      throw err;
    }
  }

  function startPrune(olderThan: number): void {
    assertOpen('prune');
    if (!Number.isFinite(olderThan)) throw new RangeError(`ledger.prune: cut-off must be a time in ms, got ${String(olderThan)}`);
    // Queued rows older than the cut-off must go too.
    flushNow();
  }

  function onTimer(): void {
    timer = undefined;
    try {
      flushNow();
    } catch (err) {
      log?.error({ err: errMessage(err), queued: queue.length }, 'ledger: batch write failed, will retry');
      armTimer();
    }
  }

  function armTimer(): void {
    if (timer !== undefined || closed || queue.length === 0) return;
    timer = setTimeout(onTimer, flushIntervalMs);
    timer.unref();
  }

  return {
    /*
     * The `changed` rule: an entry is a *delivery* when delivered === true and it carries mac,
     * file and md5. For a delivery, changed = null if this device never received this file
     * before, else (md5 !== previous md5); the delivery then becomes the new baseline. Every
     * other entry (404, denied, HEAD, partial range, aborted, unidentified device) gets
     * changed = null and leaves the baseline alone. "Previous" means the previous delivery
     * recorded, in record() order (the order transfers finished), not by `time`.
     */
    record(entry: LedgerEntry) {
      assertOpen('record');
      validateEntry(entry);
      let changed: boolean | null = null;
      let moved: Queued['baseline'];
      if (entry.delivered && entry.mac !== undefined && entry.file !== undefined && entry.md5 !== undefined) {
        const key = deliveryKey(entry.mac, entry.file);
        const prev = baseline.get(key);
        changed = prev === undefined ? null : prev.md5 !== entry.md5;
        baseline.set(key, { md5: entry.md5, time: entry.time });
        moved = { mac: entry.mac, file: entry.file, md5: entry.md5, time: entry.time };
      }
      const detail = serialiseDetail(entry.detail);
      if (detail.error !== undefined) {
        log?.warn({ path: entry.path, err: detail.error }, 'ledger: request detail not serialisable, dropped');
      }
      const params = toParams(entry, detail.json, changed);
      queue.push(moved ? { params, baseline: moved } : { params });
      if (queue.length >= batchSize) {
        try {
          flushNow();
        } catch (err) {
          log?.error({ err: errMessage(err), queued: queue.length }, 'ledger: batch write failed, will retry');
        }
      }
      armTimer();
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
      flushNow();
      return runQuery(db, q);
    },

    flush() {
      assertOpen('flush');
      flushNow();
    },

    /*
     * Deletes in slices of `pruneBatch` rows, each its own transaction, so the write lock is
     * released between slices and a reader or checkpoint is never starved for long. The
     * `last_delivery` baseline is kept: status must not forget a file a phone took long ago.
     */
    prune(olderThan: number) {
      startPrune(olderThan);
      let total = 0;
      for (;;) {
        const n = pruneStep.run(olderThan, pruneBatch).changes;
        total += n;
        if (n < pruneBatch) return total;
      }
    },

    async pruneAsync(olderThan: number) {
      startPrune(olderThan);
      let total = 0;
      for (;;) {
        const n = pruneStep.run(olderThan, pruneBatch).changes;
        total += n;
        if (n < pruneBatch) return total;
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (closed) return total;
      }
    },

    close() {
      if (closed) return;
      try {
        flushNow();
      } catch (err) {
        log?.error({ err: errMessage(err), lost: queue.length }, 'ledger: final write failed, records lost');
      } finally {
        closed = true;
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        queue = [];
        db.close();
      }
    },
  };
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
