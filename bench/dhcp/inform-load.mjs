// DHCPINFORM load from one client address: keeps WINDOW requests outstanding, COUNT in total,
// each with its own xid, and reports replies per second and latency percentiles as one JSON line.
// Bounded: stops after COUNT replies or TIMEOUT_MS, whichever first. Run inside a client netns:
//   node inform-load.mjs SERVER CIADDR COUNT WINDOW TIMEOUT_MS
import { createSocket } from 'node:dgram';

const [server, ciaddr, countText, windowText, timeoutText] = process.argv.slice(2);
const count = Number(countText);
const windowSize = Number(windowText);
const mac = Buffer.from('001565aa0099', 'hex');

function inform(xid) {
  const b = Buffer.alloc(240 + 3 + 9 + 6 + 1);
  b[0] = 1; b[1] = 1; b[2] = 6;
  b.writeUInt32BE(xid, 4);
  Buffer.from(ciaddr.split('.').map(Number)).copy(b, 12);
  mac.copy(b, 28);
  b.writeUInt32BE(0x63825363, 236);
  let i = 240;
  b[i++] = 53; b[i++] = 1; b[i++] = 8;
  b[i++] = 60; b[i++] = 7; b.write('yealink', i, 'latin1'); i += 7;
  b[i++] = 55; b[i++] = 4; b[i++] = 1; b[i++] = 3; b[i++] = 66; b[i++] = 43;
  b[i] = 255;
  return b;
}

const socket = createSocket({ type: 'udp4', reuseAddr: true });
const sentAt = new Map();
const latencies = [];
let next = 1;
let lost = 0;
const started = process.hrtime.bigint();

function send() {
  if (next > count) return;
  const xid = next++;
  sentAt.set(xid, process.hrtime.bigint());
  socket.send(inform(xid), 67, server);
}

function finish() {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies.length === 0 ? null : Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] * 1000) / 1000;
  process.stdout.write(`${JSON.stringify({ replies: latencies.length, lost: lost + sentAt.size, seconds: Math.round(seconds * 100) / 100, per_second: Math.round(latencies.length / seconds), p50_ms: pct(0.5), p99_ms: pct(0.99), max_ms: pct(1) })}\n`);
  socket.close();
  process.exit(0);
}

socket.on('message', (msg) => {
  if (msg.length < 240 || msg[0] !== 2) return;
  const xid = msg.readUInt32BE(4);
  const t = sentAt.get(xid);
  if (t === undefined) return;
  sentAt.delete(xid);
  latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
  if (latencies.length + lost >= count) return finish();
  send();
});

socket.bind(68, '0.0.0.0', () => {
  for (let i = 0; i < windowSize; i++) send();
  // A request unanswered for a second is lost; send another in its place so the window stays full.
  const sweep = setInterval(() => {
    const now = process.hrtime.bigint();
    for (const [xid, t] of sentAt) {
      if (now - t > 1_000_000_000n) {
        sentAt.delete(xid);
        lost++;
        send();
      }
    }
    if (latencies.length + lost >= count) { clearInterval(sweep); finish(); }
  }, 200);
  setTimeout(finish, Number(timeoutText));
});
