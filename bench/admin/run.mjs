// Admin side costs at scale, run by hand (not part of the test suite):
//   node bench/admin/run.mjs [--devices 10000] [--rounds 3] [--seconds 10]
// 1. The daemon with N synthetic Yealink phones (bench/http/gen-inventory.mjs) and the admin side
//    on; every phone fetches its three files once (bench/http/prefetch.mjs), so the ledger and the
//    last-seen index are full; then GET /api/devices (first call: last-seen seeded from the
//    ledger; then warm), /api/status, /metrics, /api/devices/{mac} are timed, 5 times each.
// 2. HTTP fetch throughput with wrk (bench/http/phones.lua, keep-alive, 50 connections) with the
//    admin side off and on, interleaved rounds: the difference is what the pipeline's record hook
//    costs (metrics, last seen, live events).
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const devices = arg('devices', 10000);
const rounds = arg('rounds', 3);
const seconds = arg('seconds', 10);
const out = join(repo, 'bench', 'out', 'admin');
const inv = join(out, 'inv');
execFileSync(process.execPath, [join(repo, 'bench/http/gen-inventory.mjs'), '--devices', String(devices), '--out', inv], { stdio: 'ignore' });
const token = 'bench-token-0123456789abcdef';
writeFileSync(join(inv, 'tokens'), `${token}\n`);

async function start(admin) {
  const cfg = join(inv, `provd-${admin ? 'on' : 'off'}.yaml`);
  writeFileSync(cfg, `${readFileSync(join(inv, 'provd.yaml'), 'utf8')}admin:\n  enabled: ${admin}\n  port: 0\n  tokens_file: ./tokens\n`);
  rmSync(join(inv, 'state'), { recursive: true, force: true });
  const child = spawn(process.execPath, [join(repo, 'dist/src/cli/bin.js'), 'serve', '--config', cfg], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, MALLOC_ARENA_MAX: '2' } });
  const ports = {};
  await new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error('daemon not ready in 60 s')), 60_000);
    createInterface({ input: child.stdout }).on('line', (l) => {
      try {
        const j = JSON.parse(l);
        if (j.msg === 'listening') ports[j.protocol] = j.port;
        if (j.msg === 'ready') {
          clearTimeout(t);
          // The admin listener binds after `ready`.
          setTimeout(res, admin ? 300 : 0);
        }
      } catch { /* not a log line */ }
    });
  });
  return { child, ports };
}

async function timed(url) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const r = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    await r.arrayBuffer();
    if (!r.ok) throw new Error(`${url}: ${r.status}`);
    times.push(Math.round(performance.now() - t0));
  }
  return times;
}

const results = [];
const log = (o) => {
  console.log(JSON.stringify(o));
  results.push(o);
};

{
  const d = await start(true);
  const base = `http://127.0.0.1:${d.ports.http}`;
  execFileSync(process.execPath, [join(repo, 'bench/http/prefetch.mjs'), base, join(inv, 'urls.tsv')], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  const admin = `http://127.0.0.1:${d.ports.admin}`;
  const mac = readFileSync(join(inv, 'urls.tsv'), 'utf8').split('\n')[0].match(/[0-9a-f]{12}/)[0];
  for (const path of ['/api/devices?limit=5000', '/api/status', '/metrics', `/api/devices/${mac}`]) {
    log({ devices, call: path, ms: await timed(`${admin}${path}`) });
  }
  d.child.kill('SIGTERM');
  await new Promise((r) => d.child.once('exit', r));
}

for (let round = 1; round <= rounds; round++) {
  for (const admin of [false, true]) {
    const d = await start(admin);
    const text = execFileSync('wrk', ['-t2', '-c50', `-d${seconds}s`, '-s', join(repo, 'bench/http/phones.lua'), `http://127.0.0.1:${d.ports.http}`, '--', 'keepalive'],
      { env: { ...process.env, URLS: join(inv, 'urls.tsv') }, encoding: 'utf8' });
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1]);
    log({ devices, round, admin, requests_per_second: rps });
    d.child.kill('SIGTERM');
    await new Promise((r) => d.child.once('exit', r));
  }
}
appendFileSync(join(out, 'results.jsonl'), results.map((r) => JSON.stringify(r)).join('\n') + '\n');
