// Summarises a bench/tftp/run.sh output folder as Markdown: medians over rounds, and ratios
// taken within each round (the machine is shared and noisy) then their median.
//   node bench/tftp/report.mjs bench/out/tftp-run
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'bench/out/tftp-run';
const read = (f) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const storm = read('storm.jsonl');
const tput = read('throughput.jsonl');
const mem = read('memory.jsonl');
const servers = ['provd', 'tftp-hpa', 'atftpd', 'dnsmasq'];
const out = [];

out.push('### Boot storm', '', '| concurrent | server | transfers/s (median) | p50 ms | p99 ms (median) | failed (all rounds) | rounds |', '|---|---|---|---|---|---|---|');
const levels = [...new Set(storm.map((r) => r.concurrency))].sort((a, b) => a - b);
for (const c of levels) {
  for (const s of servers) {
    const rows = storm.filter((r) => r.concurrency === c && r.server === s);
    if (rows.length === 0) continue;
    const failed = rows.reduce((n, r) => n + r.failed, 0);
    const kinds = {};
    for (const r of rows) for (const [k, v] of Object.entries(r.failures)) kinds[k] = (kinds[k] ?? 0) + v;
    const kindText = failed ? ` (${Object.entries(kinds).map(([k, v]) => `${k} ${v}`).join(', ')})` : '';
    out.push(`| ${c} | ${s} | ${fmt(median(rows.map((r) => r.tps)))} | ${fmt(median(rows.map((r) => r.p50_ms)), 1)} | ${fmt(median(rows.map((r) => r.p99_ms)))} | ${failed} of ${rows.reduce((n, r) => n + r.transfers, 0)}${kindText} | ${rows.length} |`);
  }
}
out.push('', 'Ratios of provd\'s transfers/s to each reference, taken within each round, median over rounds:', '', '| concurrent | vs tftp-hpa | vs atftpd | vs dnsmasq |', '|---|---|---|---|');
for (const c of levels) {
  const cells = ['tftp-hpa', 'atftpd', 'dnsmasq'].map((ref) => {
    const ratios = [];
    for (const round of new Set(storm.map((r) => r.round))) {
      const p = storm.find((r) => r.round === round && r.concurrency === c && r.server === 'provd');
      const o = storm.find((r) => r.round === round && r.concurrency === c && r.server === ref);
      if (p && o && o.tps > 0) ratios.push(p.tps / o.tps);
    }
    return `${fmt(median(ratios), 2)}x`;
  });
  out.push(`| ${c} | ${cells.join(' | ')} |`);
}

out.push('', '### 64 MB firmware, blksize 1468, atftp client', '', '| mode | server | MB/s (median) | ok | rounds |', '|---|---|---|---|---|');
for (const mode of ['lockstep', 'window16']) {
  for (const s of servers) {
    const rows = tput.filter((r) => r.mode === mode && r.server === s);
    if (rows.length === 0) continue;
    out.push(`| ${mode} | ${s} | ${fmt(median(rows.map((r) => r.mb_s)), 1)} | ${rows.filter((r) => r.ok).length}/${rows.length} | ${rows.length} |`);
  }
  const ref = mode === 'lockstep' ? 'tftp-hpa' : 'atftpd';
  const ratios = [];
  for (const round of new Set(tput.map((r) => r.round))) {
    const p = tput.find((r) => r.round === round && r.mode === mode && r.server === 'provd');
    const o = tput.find((r) => r.round === round && r.mode === mode && r.server === ref);
    if (p && o) ratios.push(o.ms / p.ms);
  }
  out.push(`| ${mode} | provd / ${ref} | **${fmt(median(ratios), 2)}x** (median of per-round ratios) | | |`);
}
if (mem.length) {
  out.push('', `### provd resident memory during the ${mem[0].concurrency}-concurrent storm`, '', `max RSS per round: ${mem.map((m) => `${fmt(m.max_rss_kb / 1024, 0)} MB`).join(', ')}`);
}
console.log(out.join('\n'));
