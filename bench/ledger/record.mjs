// Ledger cost on the daemon's main thread, run by hand after a build:
//   npx tsc -p tsconfig.json && node --expose-gc bench/ledger/record.mjs [records=200000] [rate=20000]
// 1. burst: `records` record() calls back to back. The first half untimed, for the main
//    thread's CPU time per record() (Linux: the thread's own schedstat, which, unlike
//    process.cpuUsage(), leaves out the writer thread and is not inflated when the thread is
//    descheduled); the second half timed call by call (wall clock: p99 and the slowest call,
//    which with the writer on the main thread is a batch insert). Then how long until
//    everything is on disk (flush).
// 2. paced: record() at `rate` per second for 3 s, in 1 ms slices as a busy server would call
//    it, while sampling the event loop: utilisation (ELU), main-thread CPU, and the worst / p99
//    loop delay. Writes and WAL checkpoints show here when they run on the main thread.
// 3. reopen with 10k devices x 5 files of baseline, a per-device query and pruneAsync.
// INSERT_CHUNK=n (environment) sets rows per INSERT statement on the writer thread.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { openSqliteLedger } from '../../dist/src/ledger/index.js';

const total = Number(process.argv[2] ?? 200_000);
const rate = Number(process.argv[3] ?? 20_000);
// Rows per INSERT statement on the writer thread (SqliteLedgerOptions.insertChunk).
const insertChunk = process.env.INSERT_CHUNK === undefined ? undefined : Number(process.env.INSERT_CHUNK);
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
  const head = i % 50 === 7; // a few HEADs carry detail
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
    delivered: !notFound && !head,
    status: notFound ? 404 : 200,
    detail: head ? { head: true } : undefined,
  };
}

// CPU time of this (the main) thread in ns; undefined where /proc has no schedstat.
const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
const hasSchedstat = existsSync(SCHEDSTAT);
const mainCpuNs = () => (hasSchedstat ? Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) : Number.NaN);
const usPer = (ns, n) => (Number.isNaN(ns) ? 'n/a' : `${(ns / 1000 / n).toFixed(2)} us`);

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

try {
  const entries = Array.from({ length: total }, (_, i) => entry(i));

  // 1. burst
  const ledger = openSqliteLedger({ file, insertChunk });
  for (let i = 0; i < 2000; i++) ledger.record(entries[i]); // warm up the JIT
  ledger.flush();
  const half = Math.floor(total / 2);
  const cpu0 = mainCpuNs();
  const u0 = performance.now();
  for (let i = 2000; i < half; i++) ledger.record(entries[i]);
  const untimedMs = performance.now() - u0;
  const cpuNs = mainCpuNs() - cpu0;
  console.log(
    `burst: ${half - 2000} record() calls untimed: main-thread CPU ${usPer(cpuNs, half - 2000)}/record, ` +
      `wall ${(untimedMs * 1000 / (half - 2000)).toFixed(2)} us/record`,
  );
  const calls = new Float64Array(total - half);
  const t0 = performance.now();
  for (let i = half; i < total; i++) {
    const s = performance.now();
    ledger.record(entries[i]);
    calls[i - half] = performance.now() - s;
  }
  const loopMs = performance.now() - t0;
  const tf = performance.now();
  ledger.flush();
  const flushMs = performance.now() - tf;
  const insideMs = calls.reduce((a, b) => a + b, 0);
  const sorted = Float64Array.from(calls).sort();
  const n = calls.length;
  console.log(
    `burst: ${n} record() calls timed: ${(insideMs * 1000 / n).toFixed(2)} us/record inside record() (wall); ` +
      `p99 ${(pct(sorted, 0.99) * 1000).toFixed(1)} us, p99.9 ${(pct(sorted, 0.999) * 1000).toFixed(1)} us, slowest ${sorted[n - 1].toFixed(2)} ms`,
  );
  console.log(`burst: final flush ${flushMs.toFixed(0)} ms; all ${total - 2000} on disk ${((untimedMs + loopMs + flushMs) / 1000).toFixed(2)} s after the first = ${Math.round((total - 2000) / ((untimedMs + loopMs + flushMs) / 1000))} records/s`);

  // 2. paced
  const perSlice = Math.max(1, Math.round(rate / 1000));
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let k = 0;
  let inside = 0;
  await new Promise((r) => setTimeout(r, 300));
  delay.enable();
  const elu0 = performance.eventLoopUtilization();
  const paceCpu0 = mainCpuNs();
  const paceStart = performance.now();
  await new Promise((resolve) => {
    const tick = setInterval(() => {
      // Catch up to the schedule, as requests that queued during a stall would arrive at once.
      const due = Math.floor(((performance.now() - paceStart) / 1000) * rate);
      const s = performance.now();
      for (; k < due; k++) ledger.record(entries[k % total]);
      inside += performance.now() - s;
      if (performance.now() - paceStart >= 3000) { clearInterval(tick); resolve(); }
    }, 1);
  });
  const elu = performance.eventLoopUtilization(elu0);
  const paceCpuNs = mainCpuNs() - paceCpu0;
  delay.disable();
  console.log(
    `paced: ${k} records at ${rate}/s over ${((performance.now() - paceStart) / 1000).toFixed(1)} s: ` +
      `${(inside * 1000 / k).toFixed(2)} us/record inside record() (wall), main-thread ELU ${(elu.utilization * 100).toFixed(1)}%, ` +
      `main-thread CPU ${usPer(paceCpuNs, k)}/record (all of it, timers included), ` +
      `loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`,
  );
  ledger.close();
  console.log(`file size: ${(statSync(file).size / 1e6).toFixed(1)} MB`);

  // 3. reopen, query, prune
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
