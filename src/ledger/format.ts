/**
 * Pure presentation of ledger data for the CLI: fixed-width tables for people, JSON lines for
 * scripts, and the per-device status (never / current / pending). No I/O, no clock, no locale:
 * the same rows always give the same text.
 */
import type { LastDelivery, LedgerRow } from './types.js';
import { deliveryKey } from './rows.js';

export { deliveryKey };

// Paths and reasons come from the network: a scanner can put escape sequences in a request
// line. Control characters are shown escaped so a table cannot drive the operator's terminal.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function printable(s: string): string {
  return s.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const MAX_PATH = 64;

/** Long paths (traversal attempts, over-long probes) keep their head and tail. */
function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  const half = Math.floor((max - 3) / 2);
  return `${s.slice(0, half)}...${s.slice(s.length - (max - 3 - half))}`;
}

function peerText(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

function isoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

/** Lays out cells in columns two spaces apart; `right` marks right-aligned columns. */
function renderTable(header: readonly string[], body: readonly (readonly string[])[], right: ReadonlySet<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => {
        const w = widths[i] ?? 0;
        return right.has(i) ? c.padStart(w) : i === cells.length - 1 ? c : c.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  return [header, ...body].map((r) => `${line(r)}\n`).join('');
}

/** "yes"/"no" for a changed flag, "first" for a first delivery, "-" for non-deliveries. */
function changedText(row: LedgerRow): string {
  if (row.changed === true) return 'yes';
  if (row.changed === false) return 'no';
  return row.delivered && row.md5 !== undefined && row.mac !== undefined && row.file !== undefined ? 'first' : '-';
}

/**
 * The `provd ledger` table: one line per row in the given order, under a header line.
 * Columns: TIME (ISO, UTC), PROTO, PEER, MAC, PATH, OUTCOME (outcome/reason), BYTES, MD5
 * (first 8 hex digits), CHANGED.
 */
export function formatLedgerTable(rows: readonly LedgerRow[]): string {
  const header = ['TIME', 'PROTO', 'PEER', 'MAC', 'PATH', 'OUTCOME', 'BYTES', 'MD5', 'CHANGED'];
  const body = rows.map((r) => [
    isoTime(r.time),
    r.protocol,
    printable(peerText(r.peerAddress, r.peerPort)),
    r.mac ?? '-',
    printable(shorten(r.path, MAX_PATH)),
    printable(r.reason !== undefined ? `${r.outcome}/${r.reason}` : r.outcome),
    String(r.bytes),
    r.md5 !== undefined ? r.md5.slice(0, 8) : '-',
    changedText(r),
  ]);
  return renderTable(header, body, new Set([6]));
}

/** Recursively sorted keys, so JSON output does not depend on how an adapter built `detail`. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/**
 * JSON lines for `provd ledger --json`: one object per row, every key always present (null
 * when absent) in a fixed order; `time` is ISO UTC and `timeMs` the raw value.
 */
export function ledgerRowsToJson(rows: readonly LedgerRow[]): string {
  return rows
    .map((r) =>
      JSON.stringify({
        id: r.id,
        time: isoTime(r.time),
        timeMs: r.time,
        protocol: r.protocol,
        peerAddress: r.peerAddress,
        peerPort: r.peerPort,
        mac: r.mac ?? null,
        identifiedBy: r.identifiedBy ?? null,
        path: r.path,
        file: r.file ?? null,
        source: r.source ?? null,
        outcome: r.outcome,
        reason: r.reason ?? null,
        status: r.status ?? null,
        bytes: r.bytes,
        durationMs: r.durationMs,
        userAgent: r.userAgent ?? null,
        user: r.user ?? null,
        md5: r.md5 ?? null,
        delivered: r.delivered,
        changed: r.changed,
        detail: r.detail === undefined ? null : sortKeys(r.detail),
      }) + '\n',
    )
    .join('');
}

export type DeliveryState = 'never' | 'current' | 'pending';

/** One device file's state: what it should get today against what it last took. */
export interface StatusRow {
  readonly mac: string;
  readonly file: string;
  readonly state: DeliveryState;
  /** MD5 of today's render. */
  readonly currentMd5: string;
  /** MD5 the device last received, null when it never did. */
  readonly deliveredMd5: string | null;
  /** When that delivery happened (ms since epoch), null when never. */
  readonly lastFetch: number | null;
}

/**
 * Compares today's files with the ledger baseline. Output is sorted by MAC, then file (code
 * point order, not locale), whatever order `current` came in. A (mac, file) pair given twice
 * is a caller bug and throws.
 */
export function computeStatus(
  current: Iterable<{ readonly mac: string; readonly file: string; readonly md5: string }>,
  lastDeliveries: ReadonlyMap<string, LastDelivery>,
): StatusRow[] {
  const seen = new Set<string>();
  const out: StatusRow[] = [];
  for (const c of current) {
    const key = deliveryKey(c.mac, c.file);
    if (seen.has(key)) throw new Error(`computeStatus: ${c.mac} ${c.file} listed twice`);
    seen.add(key);
    const last = lastDeliveries.get(key);
    out.push({
      mac: c.mac,
      file: c.file,
      state: last === undefined ? 'never' : last.md5 === c.md5 ? 'current' : 'pending',
      currentMd5: c.md5,
      deliveredMd5: last?.md5 ?? null,
      lastFetch: last?.time ?? null,
    });
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((a, b) => cmp(a.mac, b.mac) || cmp(a.file, b.file));
}

/** The `provd status` table: MAC, FILE, STATE, CURRENT MD5, DELIVERED MD5, LAST FETCH (ISO). */
export function formatStatusTable(rows: readonly StatusRow[]): string {
  const header = ['MAC', 'FILE', 'STATE', 'CURRENT MD5', 'DELIVERED MD5', 'LAST FETCH'];
  const body = rows.map((r) => [
    r.mac,
    printable(r.file),
    r.state,
    r.currentMd5,
    r.deliveredMd5 ?? '-',
    r.lastFetch === null ? '-' : isoTime(r.lastFetch),
  ]);
  return renderTable(header, body, new Set());
}

/** JSON lines for `provd status --json`, keys in a fixed order, `lastFetch` as ISO or null. */
export function statusRowsToJson(rows: readonly StatusRow[]): string {
  return rows
    .map((r) =>
      JSON.stringify({
        mac: r.mac,
        file: r.file,
        state: r.state,
        currentMd5: r.currentMd5,
        deliveredMd5: r.deliveredMd5,
        lastFetch: r.lastFetch === null ? null : isoTime(r.lastFetch),
      }) + '\n',
    )
    .join('');
}
