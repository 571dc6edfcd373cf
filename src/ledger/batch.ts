/**
 * The wire form of queued ledger rows between the daemon's main thread and the writer thread.
 *
 * record() runs once per request on the main thread, so a queued row must cost next to
 * nothing to build and to hand over. Measured per row (500-row batches, 2 cores, Node 20):
 * an array of parameter arrays through postMessage ~0.7 us, one flat array of primitives
 * ~0.8 us, this layout ~0.3 us. Numbers go into typed arrays whose buffers are transferred
 * (not copied); strings are joined into one string, which structured clone copies with a
 * single memcpy instead of tagging each value, and are cut apart again by length on the
 * writer side. Lengths are UTF-16 code units, so any text survives exactly.
 */
import type { Outcome, Protocol } from '../core/types.js';
import { COLUMNS } from './rows.js';
import type { LedgerEntry } from './types.js';

type SqlValue = string | number | null;

/** Queued rows as posted to the writer; every buffer is transferable. */
export interface EncodedBatch {
  readonly rows: number;
  /** NUMS per row: time, peerPort, bytes, durationMs, status (NaN when absent). */
  readonly nums: Float64Array;
  /** CODES per row: protocol, outcome, flags (bit 0 delivered, bits 1-2 changed). */
  readonly codes: Uint8Array;
  /** STRS per row, in STR_FIELDS order: length of each string, -1 when absent. */
  readonly lens: Int32Array;
  /** The present strings of all rows, concatenated in row and field order. */
  readonly text: string;
}

const NUMS = 5;
const CODES = 3;
const STRS = 11;

// Exhaustive records: a new Protocol or Outcome fails to compile until it has a code.
const PROTOCOL_CODE: Record<Protocol, number> = { http: 0, https: 1, tftp: 2, ftp: 3, ftps: 4, pnp: 5, cli: 6 };
const OUTCOME_CODE: Record<Outcome, number> = { served: 0, stored: 1, not_found: 2, denied: 3, failed: 4, aborted: 5 };
const PROTOCOL_OF = new Map<string, number>(Object.entries(PROTOCOL_CODE));
const OUTCOME_OF = new Map<string, number>(Object.entries(OUTCOME_CODE));
const PROTOCOL_NAME: readonly string[] = invert(PROTOCOL_CODE);
const OUTCOME_NAME: readonly string[] = invert(OUTCOME_CODE);

function invert(codes: Record<string, number>): string[] {
  const out: string[] = [];
  for (const [name, code] of Object.entries(codes)) out[code] = name;
  return out;
}

/**
 * Accumulates rows for one batch. `add` expects an entry `validateEntry` accepted; the
 * builder grows past its initial capacity rather than fail, though callers take a batch
 * at `batchSize`.
 */
export class BatchBuilder {
  #capacity: number;
  #rows = 0;
  #nums: Float64Array;
  #codes: Uint8Array;
  #lens: Int32Array;
  #strs: string[] = [];

  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity);
    this.#nums = new Float64Array(this.#capacity * NUMS);
    this.#codes = new Uint8Array(this.#capacity * CODES);
    this.#lens = new Int32Array(this.#capacity * STRS);
  }

  /** Rows added since the last `take`. */
  get length(): number {
    return this.#rows;
  }

  /** Appends one row; `detail` is the already serialised detail (or null). */
  add(e: LedgerEntry, detail: string | null, changed: boolean | null): void {
    if (this.#rows === this.#capacity) this.#grow();
    const r = this.#rows++;
    const nums = this.#nums;
    let o = r * NUMS;
    nums[o] = e.time;
    nums[o + 1] = e.peerPort;
    nums[o + 2] = e.bytes;
    nums[o + 3] = e.durationMs;
    nums[o + 4] = e.status ?? Number.NaN;
    o = r * CODES;
    this.#codes[o] = PROTOCOL_OF.get(e.protocol) ?? 0;
    this.#codes[o + 1] = OUTCOME_OF.get(e.outcome) ?? 0;
    this.#codes[o + 2] = (e.delivered ? 1 : 0) | (changed === null ? 0 : changed ? 4 : 2);
    // Unrolled on purpose: this is the per-request path, and a loop over field names would
    // turn each read into a keyed lookup.
    const lens = this.#lens;
    const strs = this.#strs;
    o = r * STRS;
    let s: string | undefined | null = e.peerAddress;
    lens[o] = s.length; strs.push(s);
    s = e.mac;
    if (s === undefined) lens[o + 1] = -1; else { lens[o + 1] = s.length; strs.push(s); }
    s = e.identifiedBy;
    if (s === undefined) lens[o + 2] = -1; else { lens[o + 2] = s.length; strs.push(s); }
    s = e.path;
    lens[o + 3] = s.length; strs.push(s);
    s = e.file;
    if (s === undefined) lens[o + 4] = -1; else { lens[o + 4] = s.length; strs.push(s); }
    s = e.source;
    if (s === undefined) lens[o + 5] = -1; else { lens[o + 5] = s.length; strs.push(s); }
    s = e.reason;
    if (s === undefined) lens[o + 6] = -1; else { lens[o + 6] = s.length; strs.push(s); }
    s = e.userAgent;
    if (s === undefined) lens[o + 7] = -1; else { lens[o + 7] = s.length; strs.push(s); }
    s = e.user;
    if (s === undefined) lens[o + 8] = -1; else { lens[o + 8] = s.length; strs.push(s); }
    s = e.md5;
    if (s === undefined) lens[o + 9] = -1; else { lens[o + 9] = s.length; strs.push(s); }
    s = detail;
    if (s === null) lens[o + 10] = -1; else { lens[o + 10] = s.length; strs.push(s); }
  }

  /** The rows added so far as one batch (undefined when none); the builder starts afresh. */
  take(): EncodedBatch | undefined {
    if (this.#rows === 0) return undefined;
    const batch: EncodedBatch = {
      rows: this.#rows,
      nums: this.#nums,
      codes: this.#codes,
      lens: this.#lens,
      text: this.#strs.join(''),
    };
    this.#rows = 0;
    this.#strs = [];
    // Fresh buffers: the old ones are about to be transferred and become unusable here.
    this.#nums = new Float64Array(this.#capacity * NUMS);
    this.#codes = new Uint8Array(this.#capacity * CODES);
    this.#lens = new Int32Array(this.#capacity * STRS);
    return batch;
  }

  #grow(): void {
    this.#capacity *= 2;
    const nums = new Float64Array(this.#capacity * NUMS);
    nums.set(this.#nums);
    const codes = new Uint8Array(this.#capacity * CODES);
    codes.set(this.#codes);
    const lens = new Int32Array(this.#capacity * STRS);
    lens.set(this.#lens);
    this.#nums = nums;
    this.#codes = codes;
    this.#lens = lens;
  }
}

/** The ArrayBuffers of a batch, for postMessage's transfer list. */
export function batchTransferList(b: EncodedBatch): ArrayBuffer[] {
  return [b.nums.buffer as ArrayBuffer, b.codes.buffer as ArrayBuffer, b.lens.buffer as ArrayBuffer];
}

/** Values per row in `decodeBatch` output, in the column order of INSERT_SQL (rows.ts). */
export const PARAMS_PER_ROW: number = COLUMNS.length;

/**
 * Rows `from`..end of a batch as one flat array of INSERT_SQL parameters (PARAMS_PER_ROW per
 * row). Throws if the batch is inconsistent, which only a bug can cause.
 */
export function decodeBatch(b: EncodedBatch, from = 0): SqlValue[] {
  const out: SqlValue[] = new Array<SqlValue>((b.rows - from) * PARAMS_PER_ROW);
  let pos = 0;
  let w = 0;
  for (let r = 0; r < b.rows; r++) {
    const strs: (string | null)[] = new Array<string | null>(STRS);
    for (let k = 0; k < STRS; k++) {
      const len = b.lens[r * STRS + k] ?? -1;
      if (len < 0) { strs[k] = null; continue; }
      strs[k] = b.text.slice(pos, pos + len);
      pos += len;
    }
    if (r < from) continue;
    const n = r * NUMS;
    const c = r * CODES;
    const flags = b.codes[c + 2] ?? 0;
    const changed = flags & 6;
    const status = b.nums[n + 4] ?? Number.NaN;
    const protocol = PROTOCOL_NAME[b.codes[c] ?? -1];
    const outcome = OUTCOME_NAME[b.codes[c + 1] ?? -1];
    const peerAddress = strs[0];
    const path = strs[3];
    if (protocol === undefined || outcome === undefined || peerAddress == null || path == null) {
      throw new Error(`ledger: malformed batch at row ${r}`);
    }
    // time, protocol, peer_address, peer_port, mac, identified_by, path, file, source, outcome,
    // reason, bytes, duration_ms, user_agent, user_name, md5, delivered, status, detail, changed
    out[w++] = b.nums[n] ?? 0;
    out[w++] = protocol;
    out[w++] = peerAddress;
    out[w++] = b.nums[n + 1] ?? 0;
    out[w++] = strs[1] ?? null;
    out[w++] = strs[2] ?? null;
    out[w++] = path;
    out[w++] = strs[4] ?? null;
    out[w++] = strs[5] ?? null;
    out[w++] = outcome;
    out[w++] = strs[6] ?? null;
    out[w++] = b.nums[n + 2] ?? 0;
    out[w++] = b.nums[n + 3] ?? 0;
    out[w++] = strs[7] ?? null;
    out[w++] = strs[8] ?? null;
    out[w++] = strs[9] ?? null;
    out[w++] = flags & 1;
    out[w++] = Number.isNaN(status) ? null : status;
    out[w++] = strs[10] ?? null;
    out[w++] = changed === 0 ? null : changed === 4 ? 1 : 0;
  }
  if (pos !== b.text.length) throw new Error('ledger: malformed batch (string lengths do not add up)');
  return out;
}
