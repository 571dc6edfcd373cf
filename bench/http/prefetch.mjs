// Fetches every URL of a urls.tsv (bench/http/gen-inventory.mjs) once, as the phone would (its
// User-Agent), and optionally writes each distinct file into a folder: that folder is the
// pre-rendered tree nginx serves, byte for byte what provd served.
//   node bench/http/prefetch.mjs http://127.0.0.1:PORT URLS.tsv [OUT_DIR]
// Exits 1 if any answer is not 200 or if one path answers different bytes to two phones.
import { createHash } from 'node:crypto';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { join } from 'node:path';

const [base, list, outDir] = process.argv.slice(2);
if (!base || !list) {
  process.stderr.write('usage: prefetch.mjs BASE_URL URLS.tsv [OUT_DIR]\n');
  process.exit(2);
}
const rows = readFileSync(list, 'utf8').split('\n').filter((l) => l !== '').map((l) => {
  const [path, ua] = l.split('\t');
  return { path, ua };
});
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function fetchOne({ path, ua }) {
  return new Promise((resolve, reject) => {
    const req = get(`${base}${path}`, { agent, headers: { 'User-Agent': ua } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

const md5ByPath = new Map();
let next = 0;
let bytes = 0;
const failures = [];
async function worker() {
  while (next < rows.length) {
    const row = rows[next++];
    const { status, body } = await fetchOne(row);
    if (status !== 200) {
      failures.push(`${row.path}: HTTP ${status}`);
      continue;
    }
    bytes += body.length;
    const md5 = createHash('md5').update(body).digest('hex');
    const seen = md5ByPath.get(row.path);
    if (seen === undefined) {
      md5ByPath.set(row.path, md5);
      if (outDir) writeFileSync(join(outDir, row.path.slice(1)), body);
    } else if (seen !== md5) {
      failures.push(`${row.path}: different bytes for different phones`);
    }
  }
}

if (outDir) mkdirSync(outDir, { recursive: true });
const t0 = performance.now();
await Promise.all(Array.from({ length: 16 }, worker));
agent.destroy();
const ms = performance.now() - t0;
process.stdout.write(
  `prefetch: ${rows.length} requests, ${md5ByPath.size} distinct files, ${bytes} bytes in ${ms.toFixed(0)} ms; ${failures.length} failures\n`,
);
for (const f of failures.slice(0, 10)) process.stderr.write(`  ${f}\n`);
process.exit(failures.length === 0 ? 0 : 1);
