// A scripted SIP PnP phone for the PnP tests (sipp is not in Debian 12): sends SUBSCRIBEs with
// `Event: ua-profile` as Snom/Yealink phones do at boot, answers NOTIFYs with 200 OK (optionally
// ignoring the first ones to exercise retransmission), and prints what it received as JSON.
// Usage: node pnp-client.mjs '<json options>'
//   { target, port, bind, macs: [..], vendor, model, waitMs, ignoreNotifies, raw: [base64...] }
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';

const o = JSON.parse(process.argv[2]);
const sock = createSocket('udp4');
const received = [];
const ignored = new Map();

function subscribe(mac, local) {
  const callId = `${randomBytes(8).toString('hex')}@${local.address}`;
  const user = `MAC%3a${mac.toUpperCase()}`;
  return [
    `SUBSCRIBE sip:${user}@224.0.1.75 SIP/2.0`,
    `Via: SIP/2.0/UDP ${local.address}:${local.port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
    `From: <sip:${user}@224.0.1.75>;tag=${randomBytes(4).toString('hex')}`,
    `To: <sip:${user}@224.0.1.75>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 SUBSCRIBE',
    `Contact: <sip:${local.address}:${local.port}>`,
    `Event: ua-profile;profile-type="device";vendor="${o.vendor ?? 'Yealink'}";model="${o.model ?? 'T46U'}";version="108.86.0.20"`,
    'Expires: 0',
    'Accept: application/url',
    `User-Agent: ${o.vendor ?? 'Yealink'} SIP-${o.model ?? 'T46U'} 108.86.0.20 ${mac}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

function header(text, name) {
  const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(text);
  return m ? m[1].trim() : undefined;
}

sock.on('message', (msg, rinfo) => {
  const text = msg.toString('utf8');
  const [startLine] = text.split('\r\n');
  const body = text.slice(text.indexOf('\r\n\r\n') + 4);
  received.push({ startLine, from: `${rinfo.address}:${rinfo.port}`, callId: header(text, 'Call-ID'), contentType: header(text, 'Content-Type'), event: header(text, 'Event'), subscriptionState: header(text, 'Subscription-State'), to: header(text, 'To'), body, time: Date.now() });
  if (startLine.startsWith('NOTIFY ')) {
    const key = header(text, 'Call-ID');
    const seen = ignored.get(key) ?? 0;
    if (seen < (o.ignoreNotifies ?? 0)) {
      ignored.set(key, seen + 1);
      return;
    }
    const vias = text.split('\r\n').filter((l) => /^Via:/i.test(l));
    const ok = ['SIP/2.0 200 OK', ...vias, `From: ${header(text, 'From')}`, `To: ${header(text, 'To')}`, `Call-ID: ${key}`, `CSeq: ${header(text, 'CSeq')}`, 'Content-Length: 0', '', ''].join('\r\n');
    sock.send(ok, rinfo.port, rinfo.address);
  }
});

sock.bind(0, o.bind, () => {
  const local = { address: o.bind, port: sock.address().port };
  if (o.target.startsWith('224.')) sock.setMulticastInterface(o.bind);
  for (const mac of o.macs ?? []) sock.send(subscribe(mac, local), o.port, o.target);
  for (const b64 of o.raw ?? []) sock.send(Buffer.from(b64, 'base64'), o.port, o.target);
  setTimeout(() => {
    process.stdout.write(JSON.stringify(received));
    sock.close();
  }, o.waitMs ?? 1500);
});
