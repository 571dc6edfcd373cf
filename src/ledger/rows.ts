/**
 * Mapping between LedgerEntry/LedgerRow and the `fetches` table, shared by the writer and the
 * read-only CLI opener so both decode rows the same way.
 */
import type Database from 'better-sqlite3';
import type { Mac } from '../core/mac.js';
import type { IdentifiedBy, Outcome, Protocol } from '../core/types.js';
import type { LastDelivery, LedgerEntry, LedgerQuery, LedgerRow } from './types.js';

type Db = Database.Database;
type SqlValue = string | number | null;

/** Column order of INSERT_SQL; `toParams` and `decodeBatch` (batch.ts) produce values in exactly this order. */
export const COLUMNS = [
  'time', 'protocol', 'peer_address', 'peer_port', 'mac', 'identified_by', 'path', 'file',
  'source', 'outcome', 'reason', 'bytes', 'duration_ms', 'user_agent', 'user_name', 'md5',
  'delivered', 'status', 'detail', 'changed',
] as const;

/** Positional INSERT for `rows` fetch rows (COLUMNS.length parameters each, row after row). */
export function insertSql(rows: number): string {
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`ledger: insertSql needs a positive row count, got ${String(rows)}`);
  const group = `(${COLUMNS.map(() => '?').join(', ')})`;
  return `INSERT INTO fetches (${COLUMNS.join(', ')}) VALUES ${Array.from({ length: rows }, () => group).join(', ')}`;
}

/** Positional INSERT for one fetch row. */
export const INSERT_SQL = insertSql(1);

/** The map key for one device's file, as in `LedgerReader.lastDeliveries()`. */
export function deliveryKey(mac: string, file: string): string {
  return `${mac}\u0000${file}`;
}

// Defence in depth: adapters should never put credentials in `detail`, but if one does (an
// Authorization header copied wholesale), the value is dropped before it reaches the disk.
const SECRET_KEY = /pass(word|wd)?|secret|authorization|token|credential/i;

/** Serialises `detail` once, at record time, so later mutation by the caller cannot leak in. */
export function serialiseDetail(detail: LedgerEntry['detail']): { json: string | null; error?: string } {
  if (detail === undefined) return { json: null };
  // Almost every request's detail is flat ({ method, status }): without a replacer function
  // JSON.stringify takes V8's fast path, about 1 µs less per request. Same text as below.
  if (isFlatAndPlain(detail)) return { json: JSON.stringify(detail) };
  try {
    const json = JSON.stringify(detail, (key, value: unknown) => {
      if (key !== '' && SECRET_KEY.test(key)) return '[redacted]';
      return typeof value === 'bigint' ? value.toString() : value;
    });
    return { json: json ?? null };
  } catch (err) {
    // Circular structures: keep the record, say why the detail is missing.
    const message = err instanceof Error ? err.message : String(err);
    return { json: JSON.stringify({ unserialisable: true }), error: message };
  }
}

/** Only primitive values and no credential-looking key: the replacer would change nothing. */
function isFlatAndPlain(detail: Readonly<Record<string, unknown>>): boolean {
  for (const key in detail) {
    if (!Object.hasOwn(detail, key)) continue;
    const v = detail[key];
    const t = typeof v;
    if (v !== null && t !== 'string' && t !== 'number' && t !== 'boolean' && t !== 'undefined') return false;
    if (SECRET_KEY.test(key)) return false;
  }
  return true;
}

// Records keyed by the union types: adding a Protocol or Outcome fails to compile here until
// it is listed, so validation never silently rejects a new adapter.
const PROTOCOL_NAMES: Record<Protocol, true> = { http: true, https: true, tftp: true, ftp: true, ftps: true, pnp: true, cli: true };
const OUTCOME_NAMES: Record<Outcome, true> = { served: true, stored: true, not_found: true, denied: true, failed: true, aborted: true };
const PROTOCOLS: ReadonlySet<string> = new Set(Object.keys(PROTOCOL_NAMES));
const OUTCOMES: ReadonlySet<string> = new Set(Object.keys(OUTCOME_NAMES));

function fail(field: string, want: string, got: unknown): never {
  throw new TypeError(`ledger.record: ${field} must be ${want}, got ${typeof got === 'string' ? JSON.stringify(got) : String(got)}`);
}

/**
 * Checks the fields SQLite would otherwise reject at flush time, where one bad row would
 * poison a whole batch. Throws a TypeError naming the field.
 */
export function validateEntry(e: LedgerEntry): void {
  if (!Number.isFinite(e.time)) fail('time', 'a finite number of ms', e.time);
  if (!PROTOCOLS.has(e.protocol)) fail('protocol', [...PROTOCOLS].join('|'), e.protocol);
  if (typeof e.peerAddress !== 'string') fail('peerAddress', 'a string', e.peerAddress);
  if (!Number.isInteger(e.peerPort)) fail('peerPort', 'an integer', e.peerPort);
  if (typeof e.path !== 'string') fail('path', 'a string', e.path);
  if (!OUTCOMES.has(e.outcome)) fail('outcome', [...OUTCOMES].join('|'), e.outcome);
  if (!Number.isFinite(e.bytes) || e.bytes < 0) fail('bytes', 'a non-negative number', e.bytes);
  if (!Number.isFinite(e.durationMs)) fail('durationMs', 'a finite number', e.durationMs);
  if (typeof e.delivered !== 'boolean') fail('delivered', 'a boolean', e.delivered);
  // Every optional text field: the batch codec (batch.ts) measures strings by length, so a
  // number slipped in where a string belongs would corrupt the whole batch, not just its row.
  if (e.md5 !== undefined && typeof e.md5 !== 'string') fail('md5', 'a string', e.md5);
  if (e.mac !== undefined && typeof e.mac !== 'string') fail('mac', 'a string', e.mac);
  if (e.file !== undefined && typeof e.file !== 'string') fail('file', 'a string', e.file);
  if (e.identifiedBy !== undefined && typeof e.identifiedBy !== 'string') fail('identifiedBy', 'a string', e.identifiedBy);
  if (e.source !== undefined && typeof e.source !== 'string') fail('source', 'a string', e.source);
  if (e.reason !== undefined && typeof e.reason !== 'string') fail('reason', 'a string', e.reason);
  if (e.userAgent !== undefined && typeof e.userAgent !== 'string') fail('userAgent', 'a string', e.userAgent);
  if (e.user !== undefined && typeof e.user !== 'string') fail('user', 'a string', e.user);
  if (e.status !== undefined && !Number.isInteger(e.status)) fail('status', 'an integer', e.status);
}

/** Bound values for INSERT_SQL: the reference mapping, which the batch codec (batch.ts) must reproduce exactly (ledger-batch.test.ts). */
export function toParams(e: LedgerEntry, detailJson: string | null, changed: boolean | null): SqlValue[] {
  return [
    e.time, e.protocol, e.peerAddress, e.peerPort, e.mac ?? null, e.identifiedBy ?? null, e.path,
    e.file ?? null, e.source ?? null, e.outcome, e.reason ?? null, e.bytes, e.durationMs,
    e.userAgent ?? null, e.user ?? null, e.md5 ?? null, e.delivered ? 1 : 0, e.status ?? null,
    detailJson, changed === null ? null : changed ? 1 : 0,
  ];
}

/** A `fetches` row as better-sqlite3 returns it. */
interface DbRow {
  id: number; time: number; protocol: string; peer_address: string; peer_port: number;
  mac: string | null; identified_by: string | null; path: string; file: string | null;
  source: string | null; outcome: string; reason: string | null; bytes: number; duration_ms: number;
  user_agent: string | null; user_name: string | null; md5: string | null; delivered: number;
  status: number | null; detail: string | null; changed: number | null;
}

function parseDetail(text: string | null): Readonly<Record<string, unknown>> | undefined {
  if (text === null) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return { unparsable: text };
  }
}

/** Decodes one row; absent optional fields stay absent (not null) like in LedgerEntry. */
export function fromDbRow(r: DbRow): LedgerRow {
  const row: Record<string, unknown> = {
    id: r.id,
    time: r.time,
    protocol: r.protocol as Protocol,
    peerAddress: r.peer_address,
    peerPort: r.peer_port,
    path: r.path,
    outcome: r.outcome as Outcome,
    bytes: r.bytes,
    durationMs: r.duration_ms,
    delivered: r.delivered === 1,
    changed: r.changed === null ? null : r.changed === 1,
  };
  if (r.mac !== null) row.mac = r.mac as Mac;
  if (r.identified_by !== null) row.identifiedBy = r.identified_by as IdentifiedBy;
  if (r.file !== null) row.file = r.file;
  if (r.source !== null) row.source = r.source;
  if (r.reason !== null) row.reason = r.reason;
  if (r.user_agent !== null) row.userAgent = r.user_agent;
  if (r.user_name !== null) row.user = r.user_name;
  if (r.md5 !== null) row.md5 = r.md5;
  if (r.status !== null) row.status = r.status;
  const detail = parseDetail(r.detail);
  if (detail !== undefined) row.detail = detail;
  return row as unknown as LedgerRow;
}

function checkCount(name: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 0)) {
    throw new RangeError(`ledger.query: ${name} must be a non-negative integer, got ${String(v)}`);
  }
}

/**
 * Runs a LedgerQuery, newest first (time, then insertion order). No limit means all rows;
 * callers that show a screenful pass one.
 */
export function runQuery(db: Db, q: LedgerQuery): LedgerRow[] {
  checkCount('limit', q.limit);
  checkCount('offset', q.offset);
  if (q.since !== undefined && !Number.isFinite(q.since)) {
    throw new RangeError(`ledger.query: since must be a finite number of ms, got ${String(q.since)}`);
  }
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (q.mac !== undefined) { where.push('mac = ?'); params.push(q.mac); }
  if (q.since !== undefined) { where.push('time >= ?'); params.push(q.since); }
  if (q.outcome !== undefined) { where.push('outcome = ?'); params.push(q.outcome); }
  // LIMIT -1 is SQLite for "no limit", which keeps one statement shape.
  params.push(q.limit ?? -1, q.offset ?? 0);
  const sql =
    `SELECT * FROM fetches${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}` +
    ' ORDER BY time DESC, id DESC LIMIT ? OFFSET ?';
  const rows = db.prepare<SqlValue[], DbRow>(sql).all(...params);
  return rows.map(fromDbRow);
}

/** Every stored baseline, keyed by `deliveryKey(mac, file)`. */
export function readLastDeliveries(db: Db): Map<string, LastDelivery> {
  const out = new Map<string, LastDelivery>();
  const rows = db
    .prepare<[], { mac: string; file: string; md5: string; time: number }>('SELECT mac, file, md5, time FROM last_delivery')
    .all();
  for (const r of rows) out.set(deliveryKey(r.mac, r.file), { md5: r.md5, time: r.time });
  return out;
}
