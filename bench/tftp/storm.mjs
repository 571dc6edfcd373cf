#!/usr/bin/env node
// TFTP boot-storm load generator (bench only): phones fetching the files of a Yealink fallback
// chain one after another, each transfer on its own UDP socket, CONCURRENCY phones at once.
// CHAIN is a file of `name<TAB>hit|miss` lines, 4 consecutive lines per phone (bench/tftp/run.sh).
// Each transfer asks for blksize and tsize, retransmits its last packet after 1 s like a phone
// (5 tries), and counts as failed if it never ends or ends with anything but DATA or ERROR 1.
// Prints one JSON line: transfers, failures, wall time, transfers/s, latency percentiles.
// Usage: node storm.mjs HOST PORT CHAIN CONCURRENCY [BLKSIZE]   (bounded: one transfer per line)
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';

const [host = '127.0.0.1', portText = '69', chainFile = '', concText = '50', blkText = '1468'] = process.argv.slice(2);
const port = Number(portText);
const lines = readFileSync(chainFile, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => l.split('\t'));
const phones = Math.floor(lines.length / 4);
const concurrency = Number(concText);
const blksize = Number(blkText);
const RETRY_MS = 1000;
const TRIES = 5;

/** The phone's four requests: [name, 'file' | null (a miss that must answer ERROR 1)]. */
const chain = (i) => lines.slice(i * 4, i * 4 + 4).map(([name, kind]) => [name, kind === 'hit' ? 'file' : null]);

function rrq(name) {
  return Buffer.from(`\0\x01${name}\0octet\0blksize\0${blksize}\0tsize\0${0}\0`, 'latin1');
}
function ack(block) {
  const b = Buffer.alloc(4);
  b.writeUInt16BE(4, 0);
  b.writeUInt16BE(block & 0xffff, 2);
  return b;
}

function transfer(name, expect) {
  return new Promise((resolve) => {
    const started = performance.now();
    const sock = createSocket('udp4');
    let tid;
    let last = rrq(name);
    let next = 1;
    let size = 512;
    let bytes = 0;
    let tries = 0;
    let timer;
    let done = false;
    const finish = (outcome, lastPacket) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const ms = performance.now() - started;
      // Close only once the last ACK has left: a close right after send() drops it.
      if (lastPacket) sock.send(lastPacket, tid, host, () => sock.close());
      else sock.close();
      resolve({ outcome, ms, bytes });
    };
    const send = () => {
      sock.send(last, tid ?? port, host, () => undefined);
      clearTimeout(timer);
      timer = setTimeout(() => (++tries >= TRIES ? finish('timeout') : send()), RETRY_MS);
    };
    sock.on('error', () => finish('socket_error'));
    sock.on('message', (msg, rinfo) => {
      if (msg.length < 4) return;
      if (tid === undefined) tid = rinfo.port;
      else if (rinfo.port !== tid) return;
      const op = msg.readUInt16BE(0);
      if (op === 6) {
        const f = msg.toString('latin1', 2).split('\0');
        const i = f.indexOf('blksize');
        size = i >= 0 ? Number(f[i + 1]) : 512;
        last = ack(0);
        tries = 0;
        send();
      } else if (op === 3) {
        const block = msg.readUInt16BE(2);
        if (block === (next & 0xffff)) {
          bytes += msg.length - 4;
          last = ack(next++);
          tries = 0;
          if (msg.length - 4 < size) {
            finish(expect === 'file' ? 'ok' : 'unexpected_file', last);
            return;
          }
          send();
        } else if (block === ((next - 1) & 0xffff)) {
          sock.send(last, tid, host, () => undefined);
        }
      } else if (op === 5) {
        const code = msg.readUInt16BE(2);
        finish(code === 1 && expect === null ? 'ok' : `error_${code}`);
      }
    });
    sock.bind(0, () => send());
  });
}

const results = [];
let nextPhone = 0;
async function worker() {
  for (;;) {
    const i = nextPhone++;
    if (i >= phones) return;
    for (const [name, expect] of chain(i)) results.push(await transfer(name, expect));
  }
}

const t0 = performance.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const wall = (performance.now() - t0) / 1000;
const ms = results.map((r) => r.ms).sort((a, b) => a - b);
const pct = (p) => Math.round(ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))] * 10) / 10;
const failures = {};
for (const r of results) if (r.outcome !== 'ok') failures[r.outcome] = (failures[r.outcome] ?? 0) + 1;
const failed = Object.values(failures).reduce((a, b) => a + b, 0);
console.log(JSON.stringify({
  transfers: results.length,
  failed,
  failures,
  wall_s: Math.round(wall * 100) / 100,
  tps: Math.round(results.length / wall),
  p50_ms: pct(50),
  p99_ms: pct(99),
  max_ms: pct(100),
}));
