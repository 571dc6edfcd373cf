import { describe, expect, test } from 'vitest';
import { provisioningNotify, subscribeOk } from '../../src/pnp/answer.js';
import { NotifyTransaction } from '../../src/pnp/notify-transaction.js';
import { RateLimiter } from '../../src/pnp/rate-limit.js';
import { parseSipMessage, type SipRequest } from '../../src/pnp/sip-message.js';
import { readPnpSubscribe } from '../../src/pnp/subscribe.js';

// The form Snom documents for its PnP (vendors.md §2.7), line ends as sent (CRLF).
const SNOM = [
  'SUBSCRIBE sip:MAC%3a000413922D24@224.0.1.75 SIP/2.0',
  'Via: SIP/2.0/UDP 192.168.1.23:5060;branch=z9hG4bK-7kfp0a5qlrk1;rport',
  'From: <sip:MAC%3a000413922D24@224.0.1.75>;tag=1492417651',
  'To: <sip:MAC%3a000413922D24@224.0.1.75>',
  'Call-ID: 3c26700b8f4a-gp0vmiz9o6yf',
  'CSeq: 1 SUBSCRIBE',
  'Max-Forwards: 70',
  'Contact: <sip:192.168.1.23:5060>',
  'Event: ua-profile;profile-type="device";vendor="snom";model="snomD785";version="10.1.33.33"',
  'Expires: 0',
  'Accept: application/url',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

function request(text: string): SipRequest {
  const m = parseSipMessage(Buffer.from(text));
  if (typeof m === 'string' || m.kind !== 'request') throw new Error(`not a request: ${String(m)}`);
  return m;
}

describe('SIP codec', () => {
  test('reads a PnP SUBSCRIBE: MAC from the request URI, vendor/model/version from Event', () => {
    expect(readPnpSubscribe(request(SNOM))).toEqual({ mac: '000413922d24', vendor: 'snom', model: 'snomD785', version: '10.1.33.33', userAgent: undefined });
  });

  test('finds the MAC in From when the request URI has none, and takes compact headers and LF line ends', () => {
    const text = SNOM.replace('SUBSCRIBE sip:MAC%3a000413922D24@224.0.1.75', 'SUBSCRIBE sip:224.0.1.75')
      .replace('To: <sip:MAC%3a000413922D24@224.0.1.75>', 't: <sip:224.0.1.75>')
      .replace('Event:', 'o:')
      .replaceAll('\r\n', '\n');
    expect(readPnpSubscribe(request(text))).toMatchObject({ mac: '000413922d24', vendor: 'snom' });
  });

  test('refuses what it cannot answer safely, naming why', () => {
    expect(parseSipMessage(Buffer.alloc(5000, 0x41))).toBe('too_large');
    expect(parseSipMessage(Buffer.from([0x53, 0xff, 0xfe]))).toBe('not_utf8');
    expect(parseSipMessage(Buffer.from('hello world\r\n\r\n'))).toBe('bad_start_line');
    expect(parseSipMessage(Buffer.from(SNOM.replace('Content-Length: 0', 'Content-Length: 40')))).toBe('bad_content_length');
    expect(parseSipMessage(Buffer.from(SNOM.replace('Content-Length: 0', 'Content-Length: -1')))).toBe('bad_content_length');
    expect(parseSipMessage(Buffer.from(SNOM.replace('Max-Forwards: 70', 'no colon here')))).toBe('bad_header');
    expect(readPnpSubscribe(request(SNOM.replace('Call-ID: 3c26700b8f4a-gp0vmiz9o6yf\r\n', '')))).toBe('missing_headers');
    expect(readPnpSubscribe(request(SNOM.replace('ua-profile;', 'presence;')))).toBe('not_ua_profile');
    expect(readPnpSubscribe(request(SNOM.replaceAll('MAC%3a000413922D24@', 'phone@')))).toBe('no_mac');
  });

  test('the 200 OK echoes the dialog headers and notes where the request came from', () => {
    const ok = subscribeOk(request(SNOM), 'abc123', { host: '192.168.1.5', port: 5060 }, { address: '192.168.1.23', port: 5060 }).toString();
    expect(ok.split('\r\n')).toEqual(expect.arrayContaining([
      'SIP/2.0 200 OK',
      'Via: SIP/2.0/UDP 192.168.1.23:5060;branch=z9hG4bK-7kfp0a5qlrk1;rport=5060;received=192.168.1.23',
      'To: <sip:MAC%3a000413922D24@224.0.1.75>;tag=abc123',
      'CSeq: 1 SUBSCRIBE',
      'Content-Length: 0',
    ]));
  });

  test('the NOTIFY swaps From and To, carries the URL with a matching Content-Length', () => {
    const url = 'http://192.168.1.5:8080/$PN/';
    const text = provisioningNotify(request(SNOM), { branch: 'z9hG4bKx', toTag: 'abc123', cseq: 1, url }, { host: '192.168.1.5', port: 5060 }).toString();
    const notify = request(text);
    expect(notify.method).toBe('NOTIFY');
    expect(notify.uri).toBe('sip:192.168.1.23:5060');
    expect(notify.headers.get('from')).toBe('<sip:MAC%3a000413922D24@224.0.1.75>;tag=abc123');
    expect(notify.headers.get('to')).toBe('<sip:MAC%3a000413922D24@224.0.1.75>;tag=1492417651');
    expect(notify.headers.get('content-type')).toBe('application/url');
    expect(notify.body).toBe(url);
  });
});

describe('NOTIFY transaction timers (RFC 3261 §17.1.2.2)', () => {
  test('retransmits at T1, 2T1, 4T1... capped at T2, and times out at 64*T1', async () => {
    const sent: number[] = [];
    const start = Date.now();
    const t = new NotifyTransaction(() => sent.push(Date.now() - start), { t1Ms: 10, t2Ms: 40 });
    t.start();
    const outcome = await t.outcome;
    expect(outcome.kind).toBe('timeout');
    // 0, 10, 30, 70, 110, 150... until 640: 1 + 3 doubling steps + ceil((640-70)/40) at T2.
    expect(sent.length).toBeGreaterThanOrEqual(14);
    expect(sent.length).toBeLessThanOrEqual(19);
  });

  test('a final response ends it; a provisional one only slows retransmission down', async () => {
    let sent = 0;
    const t = new NotifyTransaction(() => sent++, { t1Ms: 10, t2Ms: 1000 });
    t.start();
    t.response(100);
    await new Promise((r) => setTimeout(r, 100));
    expect(sent).toBe(1);
    t.response(200);
    expect(await t.outcome).toEqual({ kind: 'final', status: 200, transmissions: 1 });
  });
});

describe('rate limiter', () => {
  test('per address, in total, and bounded in memory', () => {
    let now = 0;
    const l = new RateLimiter({ perAddress: 2, total: 3, windowMs: 1000, maxAddresses: 100, now: () => now });
    expect([l.allow('a'), l.allow('a'), l.allow('a')]).toEqual([true, true, false]);
    expect([l.allow('b'), l.allow('c')]).toEqual([true, false]);
    now = 1000;
    expect(l.allow('a')).toBe(true);
    for (let i = 0; i < 10_000; i++) l.allow(`10.0.${i >> 8}.${i & 255}`);
    expect(l.size).toBe(100);
  });
});
