// Ledger throughput, run by hand after a build:
//   npm run build && node --expose-gc bench/ledger/record.mjs [records=200000]
// Measures record() throughput including the batched writes (ends with flush), baseline load
// time and memory for 10k devices x 5 files at open, and a per-device query on the result.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteLedger } from '../../dist/src/ledger/index.js';

const total = Number(process.argv[2] ?? 200_000);
const DEVICES = 10_000;
const FILES = ['y000000000028.cfg', 'mac.boot', 'mac.cfg', 'mac-local.cfg', 'mac-contact.xml'];
const dir = mkdtempSync(join(tmpdir(), 'provd-ledger-bench-'));
const file = join(dir, 'ledger.sqlite');
const md5s = ['0123456789abcdef0123456789abcdef', 'fedcba9876543210fedcba9876543210'];
const macOf = (d) => d.toString(16).padStart(12, '0');

function entry(i) {
  const d = i % DEVICES;
  const f = Math.floor(i / DEVICES) % FILES.length;
  const mac = macOf(d);
  const notFound = i % 10 === 9; // one request in ten is a 404 probe
  return {
    time: 1_700_000_000_000 + i,
    protocol: 'http',
    peerAddress: `10.${(d >> 8) & 255}.${d & 255}.1`,
    peerPort: 40000 + (i % 20000),
    mac,
    identifiedBy: 'path',
    path: `/${mac}/${FILES[f]}`,
    file: notFound ? undefined : FILES[f],
    source: notFound ? undefined : 'generated',
    outcome: notFound ? 'not_found' : 'served',
    reason: notFound ? 'no_such_file' : undefined,
    bytes: notFound ? 0 : 2048,
    durationMs: 0.4,
    userAgent: 'Yealink SIP-T46U 108.86.0.20 00:15:65:f4:29:a4',
    md5: notFound ? undefined : md5s[Math.floor(i / (DEVICES * FILES.length)) % 2],
    delivered: !notFound,
    status: notFound ? 404 : 200,
  };
}

try {
  const entries = Array.from({ length: total }, (_, i) => entry(i));
  const ledger = openSqliteLedger({ file });
  let worst = 0;
  const t0 = performance.now();
  for (const e of entries) {
    const s = performance.now();
    ledger.record(e);
    worst = Math.max(worst, performance.now() - s);
  }
  ledger.flush();
  const secs = (performance.now() - t0) / 1000;
  console.log(`record+flush: ${total} records in ${secs.toFixed(2)} s = ${Math.round(total / secs)} records/s; slowest record() ${worst.toFixed(1)} ms (a batch write)`);
  ledger.close();
  console.log(`file size: ${(statSync(file).size / 1e6).toFixed(1)} MB`);

  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const t1 = performance.now();
  const reopened = openSqliteLedger({ file });
  const openMs = performance.now() - t1;
  globalThis.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  console.log(`reopen: ${reopened.lastDeliveries().size} baselines in ${openMs.toFixed(0)} ms, heap +${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB${globalThis.gc ? '' : ' (run with --expose-gc for a meaningful number)'}`);

  const t2 = performance.now();
  const rows = reopened.query({ mac: macOf(1234), limit: 100 });
  console.log(`query one device (${rows.length} rows): ${(performance.now() - t2).toFixed(1)} ms`);
  // pruneAsync as the daily job would run it; the interval shows how long the loop stalls.
  let last = performance.now();
  let worstGap = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    worstGap = Math.max(worstGap, now - last);
    last = now;
  }, 1);
  const t3 = performance.now();
  const pruned = await reopened.pruneAsync(1_700_000_000_000 + total / 2);
  clearInterval(tick);
  console.log(`pruneAsync: ${pruned} rows in ${(performance.now() - t3).toFixed(0)} ms, longest event-loop stall ${worstGap.toFixed(0)} ms`);
  reopened.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
