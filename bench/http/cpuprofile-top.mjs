// Top functions of a V8 .cpuprofile (node --cpu-prof), for bench/http/profile.sh.
//   node bench/http/cpuprofile-top.mjs FILE.cpuprofile [N=15]
// Self time: each sample is charged to the function on top of the stack. Inclusive time: each
// sample is charged once to every distinct function on its stack (shown for provd's own code
// and its logging/ledger libraries, to tell which step of a request costs what). Functions are
// merged by name, file and line; paths are shortened after node_modules/ or dist/.
import { readFileSync } from 'node:fs';

const [file, nArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: cpuprofile-top.mjs FILE.cpuprofile [N]\n');
  process.exit(2);
}
const n = Number(nArg ?? 15);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));

// timeDeltas[i] is the time before sample i; that time is charged to the sample's node.
const selfUs = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  total += dt;
});

const short = (url) => {
  if (!url) return '';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
};

const merged = new Map();
for (const [id, us] of selfUs) {
  const cf = byId.get(id).callFrame;
  const key = `${cf.functionName || '(anonymous)'} ${short(cf.url)}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
  merged.set(key, (merged.get(key) ?? 0) + us);
}
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const keyOf = (id) => {
  const cf = byId.get(id).callFrame;
  return `${cf.functionName || '(anonymous)'} ${short(cf.url)}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
};
const inclusive = new Map();
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) seen.add(keyOf(at));
  for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
});

const rows = [...merged.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
process.stdout.write(`samples: ${profile.samples.length}, total ${(total / 1e6).toFixed(2)} s\n`);
process.stdout.write('| self % | self ms | function (file:line) |\n|---:|---:|---|\n');
for (const [key, us] of rows) {
  process.stdout.write(`| ${((100 * us) / total).toFixed(1)} | ${(us / 1000).toFixed(0)} | ${key.replace(/\|/g, '\\|')} |\n`);
}

const OWN = /^\S+ (dist\/|pino|sonic-boom|better-sqlite3|thread-stream|fast-redact)/;
const incl = [...inclusive.entries()].filter(([key]) => OWN.test(key)).sort((a, b) => b[1] - a[1]).slice(0, n * 2);
process.stdout.write('\nInclusive time, provd code and its log/ledger libraries:\n\n| incl % | incl ms | function (file:line) |\n|---:|---:|---|\n');
for (const [key, us] of incl) {
  process.stdout.write(`| ${((100 * us) / total).toFixed(1)} | ${(us / 1000).toFixed(0)} | ${key.replace(/\|/g, '\\|')} |\n`);
}
