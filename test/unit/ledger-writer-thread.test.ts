import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatchBuilder } from '../../src/ledger/batch.js';
import type { LedgerEntry } from '../../src/ledger/types.js';
import { WriterThread } from '../../src/ledger/writer-thread.js';

const ENTRY: LedgerEntry = {
  time: 1, protocol: 'http', peerAddress: '192.0.2.1', peerPort: 1, path: '/x', outcome: 'served', bytes: 0, durationMs: 0, delivered: false,
};

let dir: string;
let logged: string[];
const logger = {
  warn: (o: Record<string, unknown>, msg: string) => { logged.push(`warn ${msg} ${JSON.stringify(o)}`); },
  error: (o: Record<string, unknown>, msg: string) => { logged.push(`error ${msg} ${JSON.stringify(o)}`); },
};
const settings = (file: string) => ({ file, busyTimeoutMs: 100, maxQueued: 10, pruneBatch: 10, retryMs: 60_000, insertChunk: 4 });

function batchOf(rows: number) {
  const b = new BatchBuilder(rows);
  for (let i = 0; i < rows; i++) b.add(ENTRY, null, null);
  const batch = b.take();
  if (batch === undefined) throw new Error('no batch');
  return batch;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'provd-writer-'));
  logged = [];
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('writer thread failures', () => {
  it('a writer script that cannot load fails a waiting call instead of hanging it', () => {
    const script = join(dir, 'broken-worker.mjs');
    writeFileSync(script, "import './no-such-module.js';\n");
    const w = new WriterThread(settings(join(dir, 'l.sqlite')), logger, pathToFileURL(script), 300);
    expect(() => w.call({ kind: 'flush' })).toThrow(/did not start within 300 ms/);
    expect(logged).toEqual(['error ledger: writer thread stopped unexpectedly {"reason":"did not start within 300 ms"}']);
    // Later rows are counted, reported once, and again in total at close.
    w.post(batchOf(2));
    w.post(batchOf(3));
    expect(() => w.call({ kind: 'flush' })).toThrow(/did not start/);
    w.stop();
    w.stop();
    expect(logged.slice(1)).toEqual([
      'error ledger: writer thread is gone, records lost {"reason":"did not start within 300 ms"}',
      'error ledger: records lost since the writer thread stopped {"lost":5}',
    ]);
  });

  it('a writer that dies while starting (database cannot be opened) fails the call at once', () => {
    // A directory where the database file should be: SQLite cannot open it.
    const w = new WriterThread(settings(dir), logger);
    const started = Date.now();
    expect(() => w.call({ kind: 'flush' })).toThrow(/writer thread .*(exited|before answering)/);
    expect(Date.now() - started).toBeLessThan(10_000);
    w.stop();
  });

  it('answers calls in order after the batches posted before them, and async calls too', async () => {
    const w = new WriterThread(settings(':memory:'), logger);
    w.post(batchOf(3));
    w.post(batchOf(4));
    expect(w.call({ kind: 'query', q: { limit: 100 } })).toHaveLength(7);
    await expect(w.callAsync({ kind: 'pruneSlice', olderThan: 2 })).resolves.toBe(7);
    await expect(w.callAsync({ kind: 'query', q: { limit: -2 } })).rejects.toThrow(RangeError);
    expect(() => w.call({ kind: 'query', q: { limit: -2 } })).toThrow(RangeError);
    w.stop();
    expect(() => w.call({ kind: 'flush' })).toThrow(/closed/);
    expect(logged).toEqual([]);
  });
});
