#!/usr/bin/env node
// PnP and syslog under a flood, run by hand after a build (npx tsc -p tsconfig.json), as root:
//   node bench/pnp-syslog/flood.mjs
// 1. PnP: a network namespace (pnp-b<hex>, veth pair) holds SOURCES addresses; each sends
//    SUBSCRIBES/SOURCES SUBSCRIBEs (half from unknown MACs, half from Yealink-OUI MACs, all with
//    new Call-IDs) to the daemon's unicast PnP address as fast as the sender can. Reported: what
//    came back (200 OKs, NOTIFYs), the daemon's counters, its RSS before and after.
// 2. Syslog: MESSAGES RFC 5424 datagrams over loopback, in bursts of BURST; reported: lines
//    stored in the device's file, drops, messages/s until the last one is on disk, RSS.
// Everything is bounded in count and time and cleaned up (namespace, daemon) at the end.
// Settings (environment): SUBSCRIBES=20000 SOURCES=20 MESSAGES=50000 BURST=200
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(REPO, 'dist', 'src', 'cli', 'bin.js');
const SUBSCRIBES = Number(process.env.SUBSCRIBES ?? 20000);
const SOURCES = Math.min(200, Number(process.env.SOURCES ?? 20));
const MESSAGES = Number(process.env.MESSAGES ?? 50000);
const BURST = Number(process.env.BURST ?? 200);
const tag = randomBytes(3).toString('hex');
const NS = `pnp-b${tag}`;
const HIF = `pnp-bh${tag}`;
const CIF = `pnp-bc${tag}`;
const HOST = '10.232.0.1';
const sh = (...a) => execFileSync(a[0], a.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] }).toString();
const rss = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
// UDP datagrams the kernel dropped for a full receive buffer (all sockets in this namespace).
const rcvbufErrors = () => {
  const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
  const [names, values] = lines.map((l) => l.split(/\s+/));
  return Number(values[names.indexOf('RcvbufErrors')]);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const dir = mkdtempSync(join(tmpdir(), 'provd-bench-pnp-'));
let daemon;
const cleanup = () => {
  try { daemon?.kill('SIGTERM'); } catch {}
  try { sh('ip', 'link', 'del', HIF); } catch {}
  try { sh('ip', 'netns', 'del', NS); } catch {}
};
process.on('exit', cleanup);
const deadline = setTimeout(() => { console.error('flood.mjs: deadline reached'); process.exit(1); }, 300_000);
deadline.unref();

sh('ip', 'netns', 'add', NS);
sh('ip', 'link', 'add', HIF, 'type', 'veth', 'peer', 'name', CIF);
sh('ip', 'link', 'set', CIF, 'netns', NS);
sh('ip', 'addr', 'add', `${HOST}/16`, 'dev', HIF);
sh('ip', 'link', 'set', HIF, 'up');
const sources = Array.from({ length: SOURCES }, (_, i) => `10.232.1.${i + 1}`);
for (const a of sources) sh('ip', '-n', NS, 'addr', 'add', `${a}/16`, 'dev', CIF);
sh('ip', '-n', NS, 'link', 'set', CIF, 'up');
sh('ip', '-n', NS, 'link', 'set', 'lo', 'up');

cpSync(join(REPO, 'config', 'inventory'), join(dir, 'inventory'), { recursive: true });
writeFileSync(join(dir, 'provd.yaml'), [
  'public_host: 127.0.0.1', 'http:', '  port: 0', 'state_dir: ./var', 'root: ./root', 'inventory: ./inventory',
  'templates:', `  shipped: ${JSON.stringify(join(REPO, 'templates'))}`, '  override: ./templates.local',
  'pnp:', '  enabled: true', `  interface: ${HOST}`, '  port: 0',
  'syslog:', '  enabled: true', '  bind: 127.0.0.1', '  port: 0', '  max_file_bytes: 67108864',
].join('\n'));
daemon = spawn(process.execPath, [BIN, 'serve', '--config', join(dir, 'provd.yaml')], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
const logs = [];
createInterface({ input: daemon.stdout }).on('line', (l) => { try { logs.push(JSON.parse(l)); } catch {} });
const waitLog = async (pred, ms = 20000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) { const l = logs.find(pred); if (l) return l; await sleep(50); }
  throw new Error('log line not seen');
};
await waitLog((l) => l.msg === 'ready');
const pnpPort = (await waitLog((l) => l.msg === 'listening' && l.protocol === 'pnp')).port;
const syslogPort = (await waitLog((l) => l.msg === 'listening' && l.protocol === 'syslog')).port;
const httpPort = (await waitLog((l) => l.msg === 'listening' && l.protocol === 'http')).port;
const rssStart = rss(daemon.pid);

// --- PnP flood, from inside the namespace (a child node process per run) ---
const sender = `
const dgram = require('node:dgram'); const crypto = require('node:crypto');
const [port, host, per, ...srcs] = process.argv.slice(1);
let back = { ok: 0, notify: 0 }; let pending = srcs.length; const t0 = Date.now();
for (const src of srcs) {
  const s = dgram.createSocket('udp4');
  s.on('message', (m) => { const t = m.toString('latin1', 0, 12); if (t.startsWith('SIP/2.0 200')) back.ok++; else if (t.startsWith('NOTIFY')) back.notify++; });
  s.bind(0, src, async () => {
    const p = s.address().port;
    for (let i = 0; i < Number(per); i++) {
      const mac = (i % 2 ? '001565' : '020000') + crypto.randomBytes(3).toString('hex');
      const u = 'MAC%3a' + mac;
      const msg = 'SUBSCRIBE sip:' + u + '@224.0.1.75 SIP/2.0\\r\\nVia: SIP/2.0/UDP ' + src + ':' + p + ';branch=z9hG4bK' + i + '\\r\\nFrom: <sip:' + u + '@224.0.1.75>;tag=' + i + '\\r\\nTo: <sip:' + u + '@224.0.1.75>\\r\\nCall-ID: ' + crypto.randomBytes(8).toString('hex') + '\\r\\nCSeq: 1 SUBSCRIBE\\r\\nEvent: ua-profile;profile-type=\\"device\\";vendor=\\"Yealink\\"\\r\\nContent-Length: 0\\r\\n\\r\\n';
      s.send(msg, Number(port), host);
      if (i % 100 === 99) await new Promise((r) => setImmediate(r));
    }
    setTimeout(() => { s.close(); if (--pending === 0) console.log(JSON.stringify({ ...back, sendMs: Date.now() - t0 })); }, 3000);
  });
}`;
const pnpT0 = Date.now();
const pnpOut = JSON.parse(sh('ip', 'netns', 'exec', NS, process.execPath, '-e', sender, String(pnpPort), HOST, String(Math.floor(SUBSCRIBES / SOURCES)), ...sources));
const pnpWall = Date.now() - pnpT0;
const rssAfterPnp = rss(daemon.pid);

// --- Syslog over loopback: attribute 127.0.0.1 first by fetching a config ---
const MAC = '805ec0d57d72';
sh('curl', '-sS', '-o', '/dev/null', `http://127.0.0.1:${httpPort}/${MAC}.cfg`);
await sleep(300);
const dropsBefore = rcvbufErrors();
const udp = createSocket('udp4');
const line = (i) => Buffer.from(`<134>1 2026-12-02T07:00:00Z phone sipua - - - bench message ${i} ${'x'.repeat(80)}`);
const t0 = Date.now();
for (let i = 0; i < MESSAGES; i += BURST) {
  await Promise.all(Array.from({ length: Math.min(BURST, MESSAGES - i) }, (_, k) => new Promise((r) => udp.send(line(i + k), syslogPort, '127.0.0.1', r))));
  await new Promise((r) => setImmediate(r));
}
const sendMs = Date.now() - t0;
const file = join(dir, 'var', 'syslog', `${MAC}.log`);
let stored = 0;
let lastChange = Date.now();
while (Date.now() - lastChange < 1500) {
  const n = existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0;
  if (n !== stored) { stored = n; lastChange = Date.now(); }
  if (stored >= MESSAGES) break;
  await sleep(100);
}
const syslogMs = (stored >= MESSAGES ? Date.now() : lastChange) - t0;
const rssEnd = rss(daemon.pid);
const kernelDrops = rcvbufErrors() - dropsBefore;
udp.close();
daemon.kill('SIGTERM');
await new Promise((r) => daemon.once('exit', r));
const pnpCounters = logs.filter((l) => l.msg === 'pnp counters').at(-1)?.counters;
const syslogCounters = logs.filter((l) => l.msg === 'syslog counters').at(-1)?.counters;
console.log(JSON.stringify({
  pnp: { sent: Math.floor(SUBSCRIBES / SOURCES) * SOURCES, sources: SOURCES, wallMs: pnpWall, back: pnpOut, counters: pnpCounters },
  syslog: { sent: MESSAGES, stored, sendMs, untilStoredMs: syslogMs, perSecond: Math.round((stored / syslogMs) * 1000), kernelDrops, counters: syslogCounters },
  rssMb: { start: +rssStart.toFixed(1), afterPnp: +rssAfterPnp.toFixed(1), end: +rssEnd.toFixed(1) },
}, null, 2));
rmSync(dir, { recursive: true, force: true });
