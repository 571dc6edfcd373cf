// Summarises bench/http/run.sh results (results.jsonl: one wrk run per line) as Markdown: medians
// per server, mode and concurrency, the per-round provd/nginx ratios, and the targets.
//   node bench/http/report.mjs OUT/results.jsonl [OUT/memory.jsonl]
import { readFileSync, existsSync } from 'node:fs';

const [resultsFile, memoryFile] = process.argv.slice(2);
if (!resultsFile) {
  process.stderr.write('usage: report.mjs results.jsonl [memory.jsonl]\n');
  process.exit(2);
}
const readJsonl = (f) => readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
const runs = readJsonl(resultsFile);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const rps = (r) => r.requests / (r.duration_us / 1e6);
const errors = (r) => r.connect_errors + r.read_errors + r.write_errors + r.timeouts + r.non_2xx_3xx;
const ms = (us) => (us / 1000).toFixed(2);
const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

const MODES = ['keepalive', 'close'];
const MODE_NAME = { keepalive: 'keep-alive', close: 'new connection per request' };
const SERVERS = [...new Set(runs.map((r) => r.server))];
const NGINX = SERVERS.filter((s) => s.startsWith('nginx'));
// node-bare is a reference (what one Node process does with no policy, log or ledger), not a target.
const OTHERS = [...NGINX, ...SERVERS.filter((s) => s !== 'provd' && !s.startsWith('nginx'))];
const conns = [...new Set(runs.map((r) => r.conns))].sort((a, b) => a - b);
const pick = (server, mode, c) => runs.filter((r) => r.server === server && r.mode === mode && r.conns === c);

const out = [];
out.push('| mode | conns | server | rounds | req/s (median) | req/s per round | p50 ms | p99 ms | p99 per round (ms) | errors + non-2xx | log lines / request | server CPU µs / request |');
out.push('|---|---:|---|---:|---:|---|---:|---:|---|---:|---:|---:|');
for (const mode of MODES) {
  for (const c of conns) {
    for (const s of SERVERS) {
      const rs = pick(s, mode, c);
      if (rs.length === 0) continue;
      const logged = rs.reduce((a, r) => a + (r.log_lines ?? 0), 0) / rs.reduce((a, r) => a + r.requests, 0);
      // CPU of every thread and worker process of the server, over the measured run only.
      const cpuUs = median(rs.filter((r) => r.cpu_ms !== undefined).map((r) => (r.cpu_ms * 1000) / r.requests));
      out.push(`| ${MODE_NAME[mode]} | ${c} | ${s} | ${rs.length} | ${Math.round(median(rs.map(rps)))} | ${rs.map((r) => Math.round(rps(r))).join(', ')} | ${ms(median(rs.map((r) => r.lat_p50_us)))} | ${ms(median(rs.map((r) => r.lat_p99_us)))} | ${rs.map((r) => ms(r.lat_p99_us)).join(', ')} | ${rs.reduce((a, r) => a + errors(r), 0)} | ${fmt(logged)} | ${Number.isFinite(cpuUs) ? Math.round(cpuUs) : 'n/a'} |`);
    }
  }
}

/** provd/nginx per round (same round, same cell: run back to back), and the median of those. */
function ratios(nginx, mode, c, value) {
  const p = pick('provd', mode, c);
  const n = pick(nginx, mode, c);
  const per = [];
  for (const pr of p) {
    const nr = n.find((x) => x.round === pr.round);
    if (nr) per.push(value(pr) / value(nr));
  }
  return { per, median: median(per) };
}

out.push('');
out.push('Ratios provd / nginx (per round, then the median of the rounds). Targets: req/s >= 0.70 in both modes; p99 <= 2.0 at 200 connections.');
out.push('');
out.push('| mode | conns | against | req/s ratio per round | req/s ratio (median) | target 0.70 | p99 ratio per round | p99 ratio (median) | target 2.0 (200 conns) |');
out.push('|---|---:|---|---|---:|---|---|---:|---|');
for (const mode of MODES) {
  for (const c of conns) {
    for (const ng of OTHERS) {
      const r = ratios(ng, mode, c, rps);
      const l = ratios(ng, mode, c, (x) => x.lat_p99_us);
      if (r.per.length === 0) continue;
      const target = ng.startsWith('nginx');
      const rOk = !target ? '(reference)' : r.median >= 0.7 ? 'met' : 'MISSED';
      const lOk = !target ? '(reference)' : c === 200 ? (l.median <= 2 ? 'met' : 'MISSED') : '(not a target)';
      out.push(`| ${MODE_NAME[mode]} | ${c} | ${ng} | ${r.per.map((x) => fmt(x)).join(', ')} | ${fmt(r.median)} | ${rOk} | ${l.per.map((x) => fmt(x)).join(', ')} | ${fmt(l.median)} | ${lOk} |`);
    }
  }
}

if (memoryFile && existsSync(memoryFile)) {
  out.push('');
  out.push('provd resident memory (from /proc/<pid>/status). Target: VmRSS < 150 MB with 10,000 devices.');
  out.push('');
  out.push('| devices | when | VmRSS MB | VmHWM MB |');
  out.push('|---:|---|---:|---:|');
  for (const m of readJsonl(memoryFile)) {
    out.push(`| ${m.devices} | ${m.when} | ${(m.rss_kb / 1024).toFixed(1)} | ${(m.hwm_kb / 1024).toFixed(1)} |`);
  }
}
process.stdout.write(`${out.join('\n')}\n`);
