/**
 * Ledger schema and its migrations. The version lives in `PRAGMA user_version` so that a
 * reader can check it without a table; each migration is one step applied in its own
 * transaction, so a crash mid-upgrade leaves the file at the last complete version.
 */
import type Database from 'better-sqlite3';

type Db = Database.Database;

/** One schema step: `to` is the version the database has once `apply` ran. */
export interface LedgerMigration {
  readonly to: number;
  readonly apply: (db: Db) => void;
}

/**
 * The schema steps, in order. Later issues append a step (ALTER TABLE ... ADD COLUMN) and
 * never edit an earlier one, because deployed files already went through it.
 */
export const LEDGER_MIGRATIONS: readonly LedgerMigration[] = [
  {
    to: 1,
    apply(db) {
      // One row per request. Booleans are 0/1; `changed` is NULL when it does not apply.
      db.exec(`
        CREATE TABLE fetches (
          id            INTEGER PRIMARY KEY,
          time          INTEGER NOT NULL,
          protocol      TEXT    NOT NULL,
          peer_address  TEXT    NOT NULL,
          peer_port     INTEGER NOT NULL,
          mac           TEXT,
          identified_by TEXT,
          path          TEXT    NOT NULL,
          file          TEXT,
          source        TEXT,
          outcome       TEXT    NOT NULL,
          reason        TEXT,
          bytes         INTEGER NOT NULL,
          duration_ms   REAL    NOT NULL,
          user_agent    TEXT,
          user_name     TEXT,
          md5           TEXT,
          delivered     INTEGER NOT NULL CHECK (delivered IN (0, 1)),
          status        INTEGER,
          detail        TEXT,
          changed       INTEGER CHECK (changed IN (0, 1))
        );
        CREATE INDEX fetches_mac_time ON fetches (mac, time);
        CREATE INDEX fetches_time ON fetches (time);
      `);
      // The baseline for "changed" and for status, and the (mac, file) lookup. Kept apart from
      // the fetch rows so that pruning old fetches never makes a phone that took its file long
      // ago look "never". No (mac, file) index on `fetches`: nothing reads it that way (per
      // device, (mac, time) serves), and with 10k devices it cost ~40% of insert throughput.
      db.exec(`
        CREATE TABLE last_delivery (
          mac  TEXT    NOT NULL,
          file TEXT    NOT NULL,
          md5  TEXT    NOT NULL,
          time INTEGER NOT NULL,
          PRIMARY KEY (mac, file)
        ) WITHOUT ROWID;
      `);
    },
  },
];

/** The version this build of provd writes and reads. */
export const LEDGER_SCHEMA_VERSION: number = LEDGER_MIGRATIONS[LEDGER_MIGRATIONS.length - 1]?.to ?? 0;

/** The schema version recorded in the file (0 for a new, empty database). */
export function readSchemaVersion(db: Db): number {
  const v = db.pragma('user_version', { simple: true });
  if (typeof v !== 'number') throw new Error(`ledger: unexpected user_version ${String(v)}`);
  return v;
}

/**
 * Brings the database up to LEDGER_SCHEMA_VERSION. Refuses a file written by a newer provd
 * rather than guessing at columns it does not know.
 */
export function migrateLedger(db: Db, migrations: readonly LedgerMigration[] = LEDGER_MIGRATIONS): number {
  const latest = migrations[migrations.length - 1]?.to ?? 0;
  let version = readSchemaVersion(db);
  if (version > latest) {
    throw new Error(
      `ledger: ${db.name} has schema version ${version}, newer than this provd understands (${latest}); ` +
        'upgrade provd or point it at another state folder',
    );
  }
  for (const step of migrations) {
    if (step.to <= version) continue;
    db.transaction(() => {
      step.apply(db);
      // user_version takes no bound parameters; `to` is a number from our own table.
      db.pragma(`user_version = ${Math.trunc(step.to)}`);
    })();
    version = step.to;
  }
  return version;
}
