/**
 * Read-only access to a ledger file for the CLI (`provd ledger`, `provd status`) while the
 * daemon may be writing to it. Opens the file read-only, never creates or migrates it.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { LastDelivery, LedgerQuery, LedgerRow } from './types.js';
import { LEDGER_SCHEMA_VERSION, readSchemaVersion } from './schema.js';
import { readLastDeliveries, runQuery } from './rows.js';

export interface LedgerReader {
  /**
   * False when there is no ledger yet (no file, or a file with no schema): the daemon has not
   * recorded anything. Queries then return nothing.
   */
  readonly exists: boolean;
  readonly file: string;
  /** Records newest first, as flushed by the daemon so far (it flushes within about a second). */
  query(q: LedgerQuery): readonly LedgerRow[];
  /** Last delivery per device and file, keyed by `deliveryKey(mac, file)` (mac + NUL + file). */
  lastDeliveries(): Map<string, LastDelivery>;
  close(): void;
}

function emptyReader(file: string): LedgerReader {
  return {
    exists: false,
    file,
    query: () => [],
    lastDeliveries: () => new Map(),
    close: () => {},
  };
}

/**
 * Opens `file` for reading. Throws a clear error for a file written by another schema
 * version; a missing file yields an empty reader with `exists: false`.
 */
export function openLedgerReader(file: string): LedgerReader {
  if (file === ':memory:' || !existsSync(file)) return emptyReader(file);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    // Readers in WAL mode only wait during recovery or a restart of the WAL; a short wait
    // there beats failing the CLI with SQLITE_BUSY.
    db.pragma('busy_timeout = 5000');
    const version = readSchemaVersion(db);
    if (version === 0) {
      db.close();
      return emptyReader(file);
    }
    if (version !== LEDGER_SCHEMA_VERSION) {
      throw new Error(
        `ledger: ${file} has schema version ${version}, this provd reads version ${LEDGER_SCHEMA_VERSION}` +
          (version < LEDGER_SCHEMA_VERSION ? '; start the daemon once to upgrade it' : '; upgrade provd'),
      );
    }
  } catch (err) {
    if (db.open) db.close();
    throw err;
  }
  let closed = false;
  return {
    exists: true,
    file,
    query(q) {
      if (closed) throw new Error('ledger reader is closed');
      return runQuery(db, q);
    },
    lastDeliveries() {
      if (closed) throw new Error('ledger reader is closed');
      return readLastDeliveries(db);
    },
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
