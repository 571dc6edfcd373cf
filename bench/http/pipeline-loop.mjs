#!/usr/bin/env node
// In-process loop over provd's pipeline without sockets, run by hand after a build:
//   node bench/http/pipeline-loop.mjs [--devices 2000] [--requests 200000] [--no-ledger] [--no-log]
// Wires the Provisioner exactly as `provd serve` does (real resolver, policy, SQLite ledger with
// its writer thread, the fetch line into a real file) and hands it a `send` that answers at once,
// so the figure is the pipeline's own CPU per request on the serving thread. Walks the same
// 6,000 URLs with the same User-Agents as bench/http/run.sh. Writes to bench/out/pipeline-loop/.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = join(HERE, '..', '..');
const DIST = process.env.PROVD_DIST ?? join(REPO, 'dist', 'src');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1];
};
const DEVICES = Number(arg('devices', '2000'));
const REQUESTS = Number(arg('requests', '200000'));
const withLedger = !process.argv.includes('--no-ledger');
const withLog = !process.argv.includes('--no-log');
const OUT = join(REPO, 'bench', 'out', 'pipeline-loop');
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
execFileSync('node', [join(HERE, 'gen-inventory.mjs'), '--devices', String(DEVICES), '--out', join(OUT, 'inv')], { stdio: 'ignore' });

const imp = (p) => import(join(DIST, p));
const { loadConfig } = await imp('config/load.js');
const { AccessPolicy } = await imp('core/policy.js');
const { Provisioner } = await imp('core/provisioner.js');
const { Resolver } = await imp('core/resolver.js');
const { ScannerGuard } = await imp('core/scanner-guard.js');
const { createVendorRegistry } = await imp('vendors/index.js');
const { openSqliteLedger } = await imp('ledger/index.js');
const { createLoggers } = await imp('log/logger.js');
const { DiskUploadStore } = await imp('store/uploads.js');
const { StaticRoot } = await imp('store/static-files.js');
const { loadSnapshotOffThread } = await imp('cli/off-thread.js');
const { serverInfo } = await imp('cli/setup.js');
const { openSync } = await import('node:fs');

const loaded = loadConfig({ file: join(OUT, 'inv', 'provd.yaml'), env: {}, flags: {}, defaultFile: join(REPO, 'config', 'provd.yaml'), cwd: join(OUT, 'inv') });
if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
const config = loaded.config;
const registry = createVendorRegistry();
mkdirSync(config.state_dir, { recursive: true });
const fd = openSync(join(OUT, 'provd.log'), 'a');
const loggers = createLoggers({ level: withLog ? 'info' : 'warn', async: true, fd });
const ledger = withLedger
  ? openSqliteLedger({ file: join(config.state_dir, 'ledger.sqlite'), ...(arg('batch') ? { batchSize: Number(arg('batch')) } : {}) })
  : { record: () => ({ changed: null }), close() {} };
const now = () => Date.now();
const scanner = new ScannerGuard({ unknownMacs: 20, windowMs: 60_000, blockMs: 60_000, now });
const policy = new AccessPolicy({ allowedNetworks: config.security.allowed_networks, secretMode: config.security.secret_files, realm: 'provd', folders: [], scanner });
let snapshot;
const uploads = new DiskUploadStore(config.state_dir);
const resolver = new Resolver({ registry, policy, snapshot: () => snapshot, statics: new StaticRoot(config.root), uploads });
const provisioner = new Provisioner({
  resolver, registry, policy, snapshot: () => snapshot, uploads, ledger, fetchLog: loggers.fetchLog,
  securityLog: loggers.logger.child({ channel: 'security' }), daemonLog: loggers.logger, maxUploadBytes: 1 << 20, now,
});
const server = serverInfo('127.0.0.1', { http: 8080 });
const first = await loadSnapshotOffThread({ inventory: config.inventory, templates: config.templates, server }, registry, undefined, now());
if (!first.ok) throw new Error('inventory');
snapshot = first.snapshot;

const urls = readFileSync(join(OUT, 'inv', 'urls.tsv'), 'utf8').trim().split('\n').map((l) => {
  const [path, ua] = l.split('\t');
  return { path: decodeURIComponent(path), ua };
});
let served = 0;
const send = (res) => {
  if (res.kind !== 'file') throw new Error(`${res.kind} ${res.reason ?? ''}`);
  served++;
  return Promise.resolve({ outcome: 'served', bytes: res.file.body.length, md5: res.file.md5, delivered: true, status: 200, detail: { method: 'GET', status: 200 } });
};
async function run(n) {
  for (let i = 0; i < n; i++) {
    const u = urls[i % urls.length];
    await provisioner.handle({ protocol: 'http', peer: { address: '127.0.0.1', port: 40000 + (i % 200) }, path: u.path, userAgent: u.ua, detail: { method: 'GET' } }, send);
    // Let the writer thread's batches and the log stream move, as the event loop would.
    if (i % 500 === 499) await new Promise((r) => setImmediate(r));
  }
}
await run(Math.min(20000, REQUESTS));
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await run(REQUESTS);
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
ledger.close();
loggers.flushSync();
const usPer = (x) => (x / REQUESTS).toFixed(2);
console.log(JSON.stringify({
  devices: DEVICES, requests: REQUESTS, ledger: withLedger, log: withLog, served,
  wall_us_per_request: usPer(wall * 1000),
  process_cpu_us_per_request: usPer(cpu.user + cpu.system),
}));
