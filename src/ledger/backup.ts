/**
 * An online copy of the ledger file while the daemon writes to it. `cp` is not safe on a WAL
 * database: committed rows may still sit in `ledger.sqlite-wal`, and a checkpoint running during
 * the copy leaves a main file that is half old, half new. SQLite's backup API instead reads one
 * consistent snapshot, page by page, and lets the writer go on between steps.
 *
 * The copy is made beside the target, switched to rollback-journal mode (one self-contained file,
 * no -wal/-shm beside it; the daemon turns WAL back on when it opens a restored file), checked,
 * and only then renamed over the target, so a failed backup never replaces a good one.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { readSchemaVersion } from './schema.js';

export interface LedgerBackup {
  /** Fetch records in the copy. */
  readonly fetches: number;
  readonly schemaVersion: number;
  readonly bytes: number;
}

/** Copies the ledger `source` to `target` (replaced atomically). Throws a one-line error on failure. */
export async function backupLedger(source: string, target: string): Promise<LedgerBackup> {
  if (!existsSync(source)) throw new Error(`no ledger at ${source}: has the daemon run with this state folder?`);
  if (!existsSync(dirname(target))) throw new Error(`cannot write ${target}: folder ${dirname(target)} does not exist`);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    if (readSchemaVersion(db) === 0) throw new Error(`${source} holds no ledger yet (schema version 0)`);
    await db.backup(temp);
  } catch (err) {
    removeCopy(temp);
    throw err;
  } finally {
    db.close();
  }
  try {
    const copy = new Database(temp, { fileMustExist: true });
    let result: Omit<LedgerBackup, 'bytes'>;
    try {
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy failed SQLite's quick_check: ${String(check)}`);
      const row = copy.prepare('SELECT count(*) AS n FROM fetches').get() as { n: number };
      result = { fetches: row.n, schemaVersion: readSchemaVersion(copy) };
    } finally {
      copy.close();
    }
    // Fetch records name devices and their addresses: not for every local user to read.
    chmodSync(temp, 0o640);
    const bytes = statSync(temp).size;
    renameSync(temp, target);
    return { ...result, bytes };
  } catch (err) {
    removeCopy(temp);
    throw err;
  }
}

function removeCopy(temp: string): void {
  for (const f of [temp, `${temp}-journal`, `${temp}-wal`, `${temp}-shm`]) rmSync(f, { force: true });
}
