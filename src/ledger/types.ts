/** The fetch ledger (design §4): one record per request on every protocol. */
import type { Mac } from '../core/mac.js';
import type { IdentifiedBy, Outcome, Protocol } from '../core/types.js';

export interface LedgerEntry {
  /** Milliseconds since the epoch when the request arrived. */
  readonly time: number;
  readonly protocol: Protocol;
  readonly peerAddress: string;
  readonly peerPort: number;
  readonly mac?: Mac;
  readonly identifiedBy?: IdentifiedBy;
  /** The path as requested. */
  readonly path: string;
  /** The file it resolved to (canonical name), when it resolved to one. */
  readonly file?: string;
  readonly source?: 'generated' | 'upload' | 'static';
  readonly outcome: Outcome;
  readonly reason?: string;
  readonly bytes: number;
  readonly durationMs: number;
  readonly userAgent?: string;
  /** Authenticated user name, never a password. */
  readonly user?: string;
  /** MD5 of exactly the bytes served (or stored). */
  readonly md5?: string;
  /** The client now holds the whole file (full body or a 304 on its ETag). */
  readonly delivered: boolean;
  readonly status?: number;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface LedgerRow extends LedgerEntry {
  readonly id: number;
  /** MD5 differs from what this device last received for this file; null on first delivery. */
  readonly changed: boolean | null;
}

export interface LastDelivery {
  readonly md5: string;
  readonly time: number;
}

export interface LedgerQuery {
  readonly mac?: Mac;
  /** Only records at or after this time (ms since epoch). */
  readonly since?: number;
  readonly outcome?: Outcome;
  readonly limit?: number;
  readonly offset?: number;
}

export interface Ledger {
  /**
   * Records one request. Cheap and synchronous: `changed` comes from an in-memory index of
   * last deliveries, the row is queued and written in batches.
   */
  record(entry: LedgerEntry): { readonly changed: boolean | null };
  /** What this device last received of this file, if it ever did. */
  lastDelivery(mac: Mac, file: string): LastDelivery | undefined;
  /** Records newest first (pending rows are flushed first). */
  query(q: LedgerQuery): readonly LedgerRow[];
  /** Writes queued rows now. */
  flush(): void;
  /** Deletes records older than the cut-off; returns how many. */
  prune(olderThan: number): number;
  close(): void;
}
