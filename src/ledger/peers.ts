/**
 * Which device was last seen at which address, read from the ledger file (a read-only
 * connection of its own, as the CLI uses). The syslog receiver attributes messages with it.
 * Incremental: after the first read only rows newer than the last seen id are scanned.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Mac } from '../core/mac.js';
import { LEDGER_SCHEMA_VERSION, readSchemaVersion } from './schema.js';

export interface PeerIndex {
  /** Reads rows recorded since the last refresh; cheap when nothing is new. */
  refresh(): void;
  /** The device most recently seen at this address, if any. */
  macAt(address: string): Mac | undefined;
  close(): void;
}

/**
 * Opens the index on `file`, or one that stays empty until the file exists. `since` limits the
 * first read (ms since the epoch) so a long-kept ledger is not scanned whole at start.
 */
export function openPeerIndex(file: string, since: number): PeerIndex {
  let db: Database.Database | undefined;
  let lastId = 0;
  const byAddress = new Map<string, Mac>();
  const open = (): Database.Database | undefined => {
    if (db) return db;
    if (!existsSync(file)) return undefined;
    const candidate = new Database(file, { readonly: true, fileMustExist: true });
    candidate.pragma('busy_timeout = 1000');
    if (readSchemaVersion(candidate) !== LEDGER_SCHEMA_VERSION) {
      candidate.close();
      return undefined;
    }
    db = candidate;
    return db;
  };
  return {
    refresh() {
      const conn = open();
      if (!conn) return;
      const rows = (lastId === 0
        ? conn.prepare('SELECT id, mac, peer_address AS address FROM fetches WHERE time >= ? AND mac IS NOT NULL ORDER BY id').all(since)
        : conn.prepare('SELECT id, mac, peer_address AS address FROM fetches WHERE id > ? AND mac IS NOT NULL ORDER BY id').all(lastId)) as {
        id: number;
        mac: Mac;
        address: string;
      }[];
      for (const r of rows) {
        // Delete first so the Map keeps addresses in order of last sighting.
        byAddress.delete(r.address);
        byAddress.set(r.address, r.mac);
        lastId = r.id;
      }
      if (lastId === 0) lastId = (conn.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM fetches').get() as { id: number }).id || -1;
    },
    macAt(address) {
      return byAddress.get(address);
    },
    close() {
      db?.close();
      db = undefined;
    },
  };
}
