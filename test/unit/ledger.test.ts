import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mac } from '../../src/core/mac.js';
import { openLedgerReader } from '../../src/ledger/reader.js';
import { deliveryKey } from '../../src/ledger/rows.js';
import { LEDGER_SCHEMA_VERSION } from '../../src/ledger/schema.js';
import { openSqliteLedger, type SqliteLedger } from '../../src/ledger/sqlite.js';
import type { LedgerEntry } from '../../src/ledger/types.js';

const MAC_A = '001565f429a4' as Mac;
const MAC_B = '805ec0112233' as Mac;
const MD5_1 = '0123456789abcdef0123456789abcdef';
const MD5_2 = 'fedcba9876543210fedcba9876543210';
const T0 = 1_700_000_000_000;

function delivery(mac: Mac, file: string, md5: string, over: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    time: T0,
    protocol: 'http',
    peerAddress: '192.0.2.10',
    peerPort: 40000,
    mac,
    identifiedBy: 'path',
    path: `/${file}`,
    file,
    source: 'generated',
    outcome: 'served',
    bytes: 1234,
    durationMs: 1.5,
    md5,
    delivered: true,
    status: 200,
    ...over,
  };
}

function rawCount(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM fetches').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Polls until `ok()` holds: the writer thread works asynchronously. */
async function eventually(ok: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dir: string;
let file: string;
const open: SqliteLedger[] = [];
function openLedger(
  opts: { flushIntervalMs?: number; batchSize?: number; pruneBatch?: number; maxQueued?: number; busyTimeoutMs?: number } = {},
): SqliteLedger {
  const l = openSqliteLedger({ file, flushIntervalMs: 60_000, ...opts });
  open.push(l);
  return l;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'provd-ledger-'));
  file = join(dir, 'state', 'sub', 'ledger.sqlite');
});
afterEach(() => {
  for (const l of open.splice(0)) l.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('changed', () => {
  it('is null on first delivery, false on the same md5, true on a different one', () => {
    const l = openLedger();
    expect(l.record(delivery(MAC_A, 'a.cfg', MD5_1)).changed).toBeNull();
    expect(l.record(delivery(MAC_A, 'a.cfg', MD5_1, { time: T0 + 1 })).changed).toBe(false);
    expect(l.record(delivery(MAC_A, 'a.cfg', MD5_2, { time: T0 + 2 })).changed).toBe(true);
    expect(l.record(delivery(MAC_A, 'a.cfg', MD5_2, { time: T0 + 3 })).changed).toBe(false);
    expect(l.lastDelivery(MAC_A, 'a.cfg')).toEqual({ md5: MD5_2, time: T0 + 3 });
    const rows = l.query({ mac: MAC_A });
    expect(rows.map((r) => r.changed)).toEqual([false, true, false, null]);
  });

  it('non-deliveries get null and do not move the baseline', () => {
    const l = openLedger();
    l.record(delivery(MAC_A, 'a.cfg', MD5_1));
    const nonDeliveries: LedgerEntry[] = [
      delivery(MAC_A, 'a.cfg', MD5_2, { delivered: false, outcome: 'served', status: 200, detail: { head: true } }),
      delivery(MAC_A, 'a.cfg', MD5_2, { delivered: false, outcome: 'served', status: 206, detail: { range: 'bytes=0-9' } }),
      delivery(MAC_A, 'a.cfg', MD5_2, { delivered: false, outcome: 'aborted', bytes: 10 }),
      { ...delivery(MAC_A, 'a.cfg', MD5_2), delivered: false, outcome: 'not_found', reason: 'no_such_file', md5: undefined, bytes: 0 },
      delivery(MAC_A, 'a.cfg', MD5_2, { delivered: false, outcome: 'denied', reason: 'auth_failed', status: 401 }),
      // Delivered but without a device or an md5: nothing to compare against.
      { ...delivery(MAC_A, 'a.cfg', MD5_2), mac: undefined },
      { ...delivery(MAC_A, 'a.cfg', MD5_2), md5: undefined },
      { ...delivery(MAC_A, 'a.cfg', MD5_2), file: undefined },
    ];
    for (const e of nonDeliveries) expect(l.record(e).changed).toBeNull();
    expect(l.lastDelivery(MAC_A, 'a.cfg')).toEqual({ md5: MD5_1, time: T0 });
    expect(l.record(delivery(MAC_A, 'a.cfg', MD5_1)).changed).toBe(false);
  });

  it('is independent per file and per device', () => {
    const l = openLedger();
    l.record(delivery(MAC_A, 'a.cfg', MD5_1));
    expect(l.record(delivery(MAC_A, 'b.cfg', MD5_2)).changed).toBeNull();
    expect(l.record(delivery(MAC_B, 'a.cfg', MD5_2)).changed).toBeNull();
    expect(l.record(delivery(MAC_B, 'a.cfg', MD5_2)).changed).toBe(false);
    expect(l.record(delivery(MAC_A, 'a.cfg', MD5_1)).changed).toBe(false);
    expect(l.record(delivery(MAC_A, 'b.cfg', MD5_1)).changed).toBe(true);
    expect(l.lastDelivery(MAC_B, 'b.cfg')).toBeUndefined();
  });
});

describe('batching', () => {
  it('writes when the queue reaches batchSize, not before', async () => {
    const l = openLedger({ batchSize: 3 });
    l.record(delivery(MAC_A, 'a.cfg', MD5_1));
    l.record(delivery(MAC_A, 'b.cfg', MD5_1));
    // The writer thread would have written a posted row well within this time.
    await sleep(150);
    expect(rawCount(file)).toBe(0);
    l.record(delivery(MAC_A, 'c.cfg', MD5_1));
    // Written by the writer thread without a flush (the interval timer is 60 s here).
    await eventually(() => rawCount(file) > 0);
    expect(rawCount(file)).toBe(3);
    l.record(delivery(MAC_A, 'd.cfg', MD5_1));
    await sleep(150);
    expect(rawCount(file)).toBe(3);
    l.flush();
    expect(rawCount(file)).toBe(4);
  });

  it('flushes before a query', () => {
    const l = openLedger();
    l.record(delivery(MAC_A, 'a.cfg', MD5_1));
    expect(rawCount(file)).toBe(0);
    expect(l.query({})).toHaveLength(1);
    expect(rawCount(file)).toBe(1);
  });

  it('writes after flushIntervalMs without further calls', async () => {
    const l = openLedger({ flushIntervalMs: 30 });
    l.record(delivery(MAC_A, 'a.cfg', MD5_1));
    expect(rawCount(file)).toBe(0);
    const deadline = Date.now() + 5000;
    while (rawCount(file) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(rawCount(file)).toBe(1);
  });
});

describe('write failures', () => {
  it('keeps rows when the database is locked, retries them in order, and bounds the queue', async () => {
    const logged: string[] = [];
    const logger = {
      warn: (_o: Record<string, unknown>, msg: string) => { logged.push(`warn ${msg}`); },
      error: (o: Record<string, unknown>, msg: string) => { logged.push(`error ${msg} ${JSON.stringify(o.dropped ?? '')}`); },
    };
    const l = openSqliteLedger({ file, logger, batchSize: 2, maxQueued: 3, busyTimeoutMs: 20, flushIntervalMs: 60_000 });
    open.push(l);
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      l.record(delivery(MAC_A, 'a.cfg', MD5_1, { time: T0 + 1 }));
      l.record(delivery(MAC_A, 'b.cfg', MD5_1, { time: T0 + 2 }));
      // The writer thread reports the failure through the logger once its attempt timed out.
      await eventually(() => logged.length > 0);
      expect(logged).toEqual(['error ledger: batch write failed, will retry ""']);
      l.record(delivery(MAC_A, 'c.cfg', MD5_1, { time: T0 + 3 }));
      l.record(delivery(MAC_A, 'd.cfg', MD5_1, { time: T0 + 4 }));
      await eventually(() => logged.length > 1);
      expect(logged).toContain('error ledger: queue full, oldest unwritten records dropped 1');
      expect(() => l.flush()).toThrow(/locked|busy/i);
    } finally {
      other.exec('COMMIT');
      other.close();
    }
    l.flush();
    expect(l.query({}).map((r) => r.file)).toEqual(['d.cfg', 'c.cfg', 'b.cfg']);
    // The in-memory baseline kept the dropped delivery; the stored one has what was written.
    expect(l.lastDelivery(MAC_A, 'a.cfg')).toEqual({ md5: MD5_1, time: T0 + 1 });
  });
});

describe('rows', () => {
  it('round-trip every field; absent optionals stay absent', () => {
    const l = openLedger();
    l.record(
      delivery(MAC_A, 'a.cfg', MD5_1, {
        userAgent: 'Yealink SIP-T46U 108.86.0.20 00:15:65:f4:29:a4',
        user: 'phone1',
        detail: { etag: 'x', nested: { n: 1 } },
      }),
    );
    l.record({
      time: T0 + 5, protocol: 'tftp', peerAddress: '::1', peerPort: 69, path: '/../etc/passwd',
      outcome: 'denied', reason: 'bad_path', bytes: 0, durationMs: 0.25, delivered: false,
    });
    const [second, first] = l.query({});
    expect(second).toEqual({
      id: 2, time: T0 + 5, protocol: 'tftp', peerAddress: '::1', peerPort: 69, path: '/../etc/passwd',
      outcome: 'denied', reason: 'bad_path', bytes: 0, durationMs: 0.25, delivered: false, changed: null,
    });
    expect(first).toEqual({
      ...delivery(MAC_A, 'a.cfg', MD5_1),
      id: 1,
      userAgent: 'Yealink SIP-T46U 108.86.0.20 00:15:65:f4:29:a4',
      user: 'phone1',
      detail: { etag: 'x', nested: { n: 1 } },
      changed: null,
    });
  });

  it('redacts credential-looking keys in detail and survives circular detail', () => {
    const l = openLedger();
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    l.record(delivery(MAC_A, 'a.cfg', MD5_1, { detail: { authorization: 'Basic dXNlcjpwdw==', range: 'bytes=0-1', nested: { password: 'pw' } } }));
    l.record(delivery(MAC_A, 'b.cfg', MD5_1, { detail: circular }));
    const [b, a] = l.query({});
    expect(a?.detail).toEqual({ authorization: '[redacted]', range: 'bytes=0-1', nested: { password: '[redacted]' } });
    expect(b?.detail).toEqual({ unserialisable: true });
  });

  it('rejects malformed entries with the field name and keeps the batch healthy', () => {
    const l = openLedger();
    expect(() => l.record({ ...delivery(MAC_A, 'a.cfg', MD5_1), time: Number.NaN })).toThrow(/time/);
    expect(() => l.record({ ...delivery(MAC_A, 'a.cfg', MD5_1), protocol: 'gopher' as 'http' })).toThrow(/protocol/);
    expect(() => l.record({ ...delivery(MAC_A, 'a.cfg', MD5_1), delivered: 1 as unknown as boolean })).toThrow(/delivered/);
    expect(() => l.record({ ...delivery(MAC_A, 'a.cfg', MD5_1), bytes: -1 })).toThrow(/bytes/);
    expect(l.lastDelivery(MAC_A, 'a.cfg')).toBeUndefined();
    l.record(delivery(MAC_A, 'a.cfg', MD5_1));
    expect(l.query({})).toHaveLength(1);
  });

  it('filters by mac, since and outcome, newest first, with limit and offset', () => {
    const l = openLedger();
    for (let i = 0; i < 10; i++) {
      const mac = i % 2 === 0 ? MAC_A : MAC_B;
      l.record(delivery(mac, 'a.cfg', MD5_1, { time: T0 + i * 1000, outcome: i === 4 ? 'failed' : 'served' }));
    }
    expect(l.query({ mac: MAC_A }).map((r) => r.time)).toEqual([8, 6, 4, 2, 0].map((i) => T0 + i * 1000));
    expect(l.query({ since: T0 + 7000 }).map((r) => r.time)).toEqual([9, 8, 7].map((i) => T0 + i * 1000));
    expect(l.query({ outcome: 'failed' }).map((r) => r.time)).toEqual([T0 + 4000]);
    expect(l.query({ limit: 2, offset: 1 }).map((r) => r.time)).toEqual([T0 + 8000, T0 + 7000]);
    expect(() => l.query({ limit: -1 })).toThrow(/limit/);
  });
});

describe('persistence', () => {
  it('creates parents, uses WAL and the schema version, and rebuilds the baseline on reopen', () => {
    const l1 = openLedger();
    l1.record(delivery(MAC_A, 'a.cfg', MD5_1));
    l1.record(delivery(MAC_A, 'a.cfg', MD5_2, { time: T0 + 10 }));
    l1.record(delivery(MAC_B, 'a.cfg', MD5_1, { time: T0 + 20 }));
    l1.close();
    l1.close(); // idempotent
    expect(() => l1.record(delivery(MAC_A, 'a.cfg', MD5_1))).toThrow(/closed/);

    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(LEDGER_SCHEMA_VERSION);
    raw.close();

    const l2 = openLedger();
    expect(l2.lastDelivery(MAC_A, 'a.cfg')).toEqual({ md5: MD5_2, time: T0 + 10 });
    expect(l2.lastDeliveries().size).toBe(2);
    expect(l2.record(delivery(MAC_A, 'a.cfg', MD5_2)).changed).toBe(false);
    expect(l2.record(delivery(MAC_B, 'a.cfg', MD5_2)).changed).toBe(true);
    expect(l2.query({})).toHaveLength(5);
  });

  it('refuses a file from a newer schema', () => {
    openLedger().close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${LEDGER_SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openSqliteLedger({ file })).toThrow(/newer than this provd/);
    expect(() => openLedgerReader(file)).toThrow(/upgrade provd/);
  });

  it('loads 10k devices x 5 files of baseline at open', () => {
    const l1 = openLedger({ batchSize: 5000 });
    for (let d = 0; d < 10_000; d++) {
      const mac = d.toString(16).padStart(12, '0') as Mac;
      for (let f = 0; f < 5; f++) l1.record(delivery(mac, `f${f}.cfg`, MD5_1, { time: T0 + d }));
    }
    l1.close();
    const started = performance.now();
    const l2 = openLedger();
    const openMs = performance.now() - started;
    expect(l2.lastDeliveries().size).toBe(50_000);
    expect(l2.record(delivery('000000002710' as Mac, 'f4.cfg', MD5_1)).changed).toBeNull();
    expect(l2.record(delivery('00000000270f' as Mac, 'f4.cfg', MD5_1)).changed).toBe(false);
    expect(openMs).toBeLessThan(2000);
  });
});

describe('prune', () => {
  it('deletes in slices, counts them, and keeps the baseline', () => {
    const l = openLedger({ pruneBatch: 7 });
    for (let i = 0; i < 50; i++) l.record(delivery(MAC_A, 'a.cfg', MD5_1, { time: T0 + i }));
    l.record(delivery(MAC_B, 'a.cfg', MD5_2, { time: T0 + 100 }));
    // Still queued: prune must see these too.
    expect(l.prune(T0 + 100)).toBe(50);
    expect(l.prune(T0 + 100)).toBe(0);
    expect(l.query({}).map((r) => r.mac)).toEqual([MAC_B]);
    expect(l.lastDelivery(MAC_A, 'a.cfg')).toEqual({ md5: MD5_1, time: T0 + 49 });
    l.close();
    const reader = openLedgerReader(file);
    expect(reader.lastDeliveries().get(deliveryKey(MAC_A, 'a.cfg'))).toEqual({ md5: MD5_1, time: T0 + 49 });
    reader.close();
  });

  it('pruneAsync lets other work run between slices and gives the same count', async () => {
    const l = openLedger({ pruneBatch: 10 });
    for (let i = 0; i < 95; i++) l.record(delivery(MAC_A, 'a.cfg', MD5_1, { time: T0 + i }));
    // The slices run on the writer thread and finish at no fixed moment: sample the row count
    // on every loop turn until the prune is done. pruneAsync asks for a slice only a turn after
    // the previous one answered, so some turn falls between two slices.
    const seen: number[] = [];
    let finished = false;
    const done = l.pruneAsync(T0 + 90);
    void done.finally(() => { finished = true; });
    const sample = (): void => {
      if (finished) return;
      seen.push(rawCount(file));
      setImmediate(sample);
    };
    setImmediate(sample);
    expect(await done).toBe(90);
    // Another callback ran while the prune was part-way through.
    const seenMidway = seen.find((n) => n > 5 && n < 95);
    expect(seenMidway).toBeGreaterThan(5);
    expect(seenMidway).toBeLessThan(95);
    expect(l.query({}).map((r) => r.time)).toEqual([94, 93, 92, 91, 90].map((i) => T0 + i));
    await expect(l.pruneAsync(Number.NaN)).rejects.toThrow(/cut-off/);
  });
});

describe('reader', () => {
  it('sees rows a live writer has flushed but not checkpointed', () => {
    const l = openLedger();
    l.record(delivery(MAC_A, 'a.cfg', MD5_1));
    l.record(delivery(MAC_A, 'b.cfg', MD5_2, { time: T0 + 1 }));
    l.flush();
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);

    const reader = openLedgerReader(file);
    expect(reader.exists).toBe(true);
    expect(reader.query({ mac: MAC_A }).map((r) => r.file)).toEqual(['b.cfg', 'a.cfg']);
    expect(reader.lastDeliveries()).toEqual(
      new Map([
        [deliveryKey(MAC_A, 'a.cfg'), { md5: MD5_1, time: T0 }],
        [deliveryKey(MAC_A, 'b.cfg'), { md5: MD5_2, time: T0 + 1 }],
      ]),
    );

    // The writer keeps writing while the reader is open; a new query sees the new row.
    l.record(delivery(MAC_B, 'a.cfg', MD5_1, { time: T0 + 2 }));
    l.flush();
    expect(reader.query({})).toHaveLength(3);
    expect(() => reader.query({ limit: 1.5 })).toThrow(/limit/);
    reader.close();
    reader.close();
  });

  it('does not create a missing file', () => {
    const missing = join(dir, 'nope', 'ledger.sqlite');
    const reader = openLedgerReader(missing);
    expect(reader.exists).toBe(false);
    expect(reader.query({})).toEqual([]);
    expect(reader.lastDeliveries().size).toBe(0);
    reader.close();
    expect(existsSync(join(dir, 'nope'))).toBe(false);
  });

  it('treats a file without schema as empty and does not migrate it', () => {
    const blank = join(dir, 'blank.sqlite');
    new Database(blank).close();
    const r1 = openLedgerReader(blank);
    expect(r1.exists).toBe(false);
    r1.close();
    const raw = new Database(blank, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(0);
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_master").get()).toEqual({ n: 0 });
    raw.close();
  });
});

describe('writer thread', () => {
  it('shows rows recorded just before a query, in order, across several posted batches', () => {
    const l = openLedger({ batchSize: 100 });
    const expected: (boolean | null)[] = [];
    for (let i = 0; i < 1050; i++) {
      // Two files alternate md5 every 3rd delivery: a mix of null, false and true.
      const md5 = Math.floor(i / 6) % 2 === 0 ? MD5_1 : MD5_2;
      expected.push(l.record(delivery(MAC_A, `f${i % 2}.cfg`, md5, { time: T0 + i })).changed);
    }
    // 10 full batches went to the writer without waiting; 50 rows are still pending here.
    const rows = l.query({});
    expect(rows).toHaveLength(1050);
    expect(rows.map((r) => r.time)).toEqual(expected.map((_, i) => T0 + 1049 - i));
    expect(rows.map((r) => r.changed)).toEqual([...expected].reverse());
    expect(rows.map((r) => r.id)).toEqual(expected.map((_, i) => 1050 - i));
  });

  it('close writes pending rows and the baseline before it returns', () => {
    const l = openLedger({ batchSize: 1000 });
    for (let i = 0; i < 10; i++) l.record(delivery(MAC_A, 'a.cfg', MD5_1, { time: T0 + i }));
    l.record(delivery(MAC_B, 'a.cfg', MD5_2, { time: T0 + 10 }));
    expect(rawCount(file)).toBe(0);
    l.close();
    expect(rawCount(file)).toBe(11);
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.prepare('SELECT mac, md5, time FROM last_delivery ORDER BY mac').all()).toEqual([
        { mac: MAC_A, md5: MD5_1, time: T0 + 9 },
        { mac: MAC_B, md5: MD5_2, time: T0 + 10 },
      ]);
    } finally {
      raw.close();
    }
    expect(() => l.flush()).toThrow(/closed/);
    expect(() => l.query({})).toThrow(/closed/);
  });

  it('another process reads the rows once flush returns', () => {
    const l = openLedger();
    for (let i = 0; i < 25; i++) l.record(delivery(MAC_A, 'a.cfg', MD5_1, { time: T0 + i }));
    l.flush();
    // What `provd ledger` does while the daemon runs: a separate process opens the file.
    const script =
      "const D = require('better-sqlite3'); const db = new D(process.argv[1], { readonly: true });" +
      "process.stdout.write(JSON.stringify(db.prepare('SELECT count(*) AS n, max(time) AS t FROM fetches').get()));";
    const out = execFileSync(process.execPath, ['-e', script, file], { cwd: process.cwd(), encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ n: 25, t: T0 + 24 });
  });

  it('record() never waits for the disk: 100k records complete while the writer is blocked', () => {
    const l = openLedger({ batchSize: 500, maxQueued: 200_000, busyTimeoutMs: 30_000 });
    const other = new Database(file);
    // The writer's first insert now waits on this lock (up to busyTimeoutMs) and holds every
    // later batch behind it.
    other.exec('BEGIN IMMEDIATE');
    let completed = 0;
    try {
      for (let i = 0; i < 100_000; i++) {
        const mac = (i % 5000).toString(16).padStart(12, '0') as Mac;
        l.record(delivery(mac, 'a.cfg', MD5_1, { time: T0 + i }));
        completed++;
      }
      // 200 batches went to the writer; none of them can have been committed.
      expect(completed).toBe(100_000);
      expect(rawCount(file)).toBe(0);
    } finally {
      other.exec('COMMIT');
      other.close();
    }
    l.flush();
    expect(rawCount(file)).toBe(100_000);
    expect(l.query({ mac: '000000000007' as Mac }).map((r) => r.changed)).toEqual([...Array<boolean>(19).fill(false), null]);
  });

  it('pruneAsync stops after the slice in progress when the ledger closes', async () => {
    const l = openLedger({ pruneBatch: 1 });
    for (let i = 0; i < 50; i++) l.record(delivery(MAC_A, 'a.cfg', MD5_1, { time: T0 + i }));
    const done = l.pruneAsync(T0 + 100);
    l.close();
    // close() waited for the first slice's answer; no further slice was asked for.
    expect(await done).toBe(1);
    expect(rawCount(file)).toBe(49);
  });

  it('works on :memory:, where the writer thread holds the only copy', () => {
    const l = openSqliteLedger({ file: ':memory:', flushIntervalMs: 60_000 });
    open.push(l);
    expect(l.record(delivery(MAC_A, 'a.cfg', MD5_1)).changed).toBeNull();
    expect(l.record(delivery(MAC_A, 'a.cfg', MD5_2, { time: T0 + 1 })).changed).toBe(true);
    expect(l.query({}).map((r) => r.md5)).toEqual([MD5_2, MD5_1]);
    expect(l.prune(T0 + 1)).toBe(1);
    expect(l.query({})).toHaveLength(1);
  });
});
