/**
 * The NOTIFY sender against a scripted SIP UAS on real UDP sockets (sipp is not in Debian 12):
 * request line, headers and Event per vendor flavour, the digest challenge answered with the
 * line's credentials, RFC 3261 retransmission, Timer F timeout and a closed port.
 */
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { SipNotifier } from '../../src/notify/sender.js';
import { createVendorRegistry } from '../../src/vendors/index.js';
import { startUas } from '../fixtures/sip/uas.js';

type Uas = Awaited<ReturnType<typeof startUas>>;
let uas: Uas | undefined;
afterEach(async () => {
  await uas?.close();
  uas = undefined;
});

// T1 of 200 ms: long enough that a busy test process answering late does not cause retransmissions
// where a test counts requests; the timing tests make their own notifier.
const notifier = new SipNotifier({ t1Ms: 200 });
const target = (port: number) => ({ address: '127.0.0.1', port, user: '3223' });

describe('SIP NOTIFY over UDP', () => {
  const flavours: [string, string, boolean][] = [
    ['Yealink/Polycom/Snom resync', 'check-sync', false],
    ['Yealink reboot', 'check-sync;reboot=true', true],
    ['Snom resync without reboot', 'check-sync;reboot=false', false],
    ['Grandstream / Cisco MPP resync', 'resync', false],
    ['Cisco MPP reboot', 'reboot_now', true],
  ];
  for (const [name, event, reboot] of flavours) {
    it(`sends ${name} with the right request line and headers`, async () => {
      uas = await startUas({});
      const r = await notifier.send({ target: target(uas.port), event, reboot });
      expect(r).toMatchObject({ kind: 'answered', code: 200, authenticated: false });
      const [req] = uas.requests;
      expect(req!.method).toBe('NOTIFY');
      expect(req!.uri).toBe(`sip:3223@127.0.0.1:${uas.port}`);
      const h = (n: string) => req!.headers.get(n)?.[0] ?? '';
      expect(h('event')).toBe(event);
      expect(h('via')).toMatch(/^SIP\/2\.0\/UDP 127\.0\.0\.1:\d+;branch=z9hG4bK[0-9a-f]+;rport$/);
      expect(h('cseq')).toBe('1 NOTIFY');
      expect(h('to')).toBe(`<sip:3223@127.0.0.1:${uas.port}>`);
      expect(h('from')).toMatch(/^<sip:provd@127\.0\.0\.1:\d+>;tag=[0-9a-f]+$/);
      expect(h('max-forwards')).toBe('70');
      expect(h('subscription-state')).toBe('terminated');
      expect(h('call-id')).not.toBe('');
      expect(h('content-length')).toBe('0');
    });
  }

  it('every registered vendor has resync and reboot events the sender accepts', async () => {
    for (const v of createVendorRegistry().all()) {
      for (const reboot of [false, true]) {
        uas = await startUas({});
        const event = reboot ? v.notify.reboot : v.notify.resync;
        const r = await notifier.send({ target: target(uas.port), event, reboot });
        expect(r, `${v.id} ${event}`).toMatchObject({ kind: 'answered', code: 200 });
        expect(uas.requests[0]!.headers.get('event')?.[0]).toBe(event.startsWith('service-control') ? 'service-control' : event);
        await uas.close();
        uas = undefined;
      }
    }
  });

  it('sends Cisco enterprise service-control with its text/plain action body', async () => {
    uas = await startUas({});
    await notifier.send({ target: target(uas.port), event: 'service-control', reboot: false });
    await notifier.send({ target: target(uas.port), event: 'service-control', reboot: true });
    const [a, b] = uas.requests;
    expect(a!.headers.get('content-type')?.[0]).toBe('text/plain');
    expect(a!.body.split('\r\n')[0]).toBe('action=restart');
    expect(a!.body).toContain('ConfigVersionStamp={0000000000000000}');
    expect(Number(a!.headers.get('content-length')?.[0])).toBe(Buffer.byteLength(a!.body));
    expect(b!.body.split('\r\n')[0]).toBe('action=reset');
  });

  for (const qop of [false, true]) {
    it(`answers a 401 digest challenge${qop ? ' with qop=auth' : ''} using the line credentials`, async () => {
      uas = await startUas({ challenge: { realm: 'phone', user: '343', password: 'demo-zoom-1', qop } });
      const r = await notifier.send({ target: target(uas.port), event: 'check-sync', reboot: false, credentials: { user: '343', password: 'demo-zoom-1' } });
      expect(r).toMatchObject({ kind: 'answered', code: 200, authenticated: true });
      expect(uas.requests).toHaveLength(2);
      expect(uas.requests[1]!.headers.get('cseq')?.[0]).toBe('2 NOTIFY');
      expect(uas.requests[1]!.headers.get('call-id')).toEqual(uas.requests[0]!.headers.get('call-id'));
      expect(uas.requests[1]!.digestOk).toBe(true);
    });
  }

  it('records the refusal when the password is wrong, and the 401 when it has none', async () => {
    uas = await startUas({ challenge: { realm: 'phone', user: '343', password: 'right' } });
    const wrong = await notifier.send({ target: target(uas.port), event: 'resync', reboot: false, credentials: { user: '343', password: 'wrong' } });
    expect(wrong).toMatchObject({ kind: 'answered', code: 403 });
    expect(uas.requests[1]!.digestOk).toBe(false);
    const none = await notifier.send({ target: target(uas.port), event: 'resync', reboot: false });
    expect(none).toMatchObject({ kind: 'answered', code: 401 });
  });

  it('retransmits over UDP until answered (Timer E)', async () => {
    uas = await startUas({ dropFirst: 2 });
    const r = await notifier.send({ target: target(uas.port), event: 'check-sync', reboot: false });
    expect(r).toMatchObject({ kind: 'answered', code: 200, attempts: 3 });
    const branches = new Set(uas.requests.map((q) => q.headers.get('via')?.[0]));
    expect(branches.size).toBe(1); // retransmissions are the same request
  });

  it('takes a 100 Trying as provisional and waits for the final answer', async () => {
    uas = await startUas({ trying: true, finalCode: 202 });
    const r = await notifier.send({ target: target(uas.port), event: 'check-sync', reboot: false });
    expect(r).toMatchObject({ kind: 'answered', code: 202 });
  });

  it('times out at 64*T1 when the phone never answers, after the RFC 3261 schedule', async () => {
    uas = await startUas({ silent: true });
    const started = Date.now();
    const r = await new SipNotifier({ t1Ms: 20 }).send({ target: target(uas.port), event: 'check-sync', reboot: false });
    const took = Date.now() - started;
    expect(r.kind).toBe('timeout');
    // 0, 20, 60, 140 then every T2=160 ms up to 1280 ms: 11 transmissions.
    expect(uas.requests.length).toBeGreaterThanOrEqual(6); // fewer only when timers run late (a loaded machine)
    expect(uas.requests.length).toBeLessThanOrEqual(12);
    expect(took).toBeGreaterThanOrEqual(1200);
  });

  for (const transport of ['tcp', 'tls'] as const) {
    it(`sends over ${transport.toUpperCase()} once (no retransmission) and answers the digest challenge there`, async () => {
      uas = await startUas({ challenge: { realm: 'phone', user: '343', password: 'pw', qop: true } }, { [transport]: true });
      const port = (transport === 'tcp' ? uas.tcpPort : uas.tlsPort)!;
      const r = await notifier.send({ target: target(port), transport, event: 'check-sync', reboot: false, credentials: { user: '343', password: 'pw' } });
      expect(r).toMatchObject({ kind: 'answered', code: 200, authenticated: true, attempts: 2 });
      expect(uas.requests.map((q) => q.transport)).toEqual([transport, transport]);
      expect(uas.requests[0]!.uri).toBe(`sip:3223@127.0.0.1:${port};transport=${transport}`);
      expect(uas.requests[0]!.headers.get('via')?.[0]).toMatch(new RegExp(`^SIP/2\\.0/${transport.toUpperCase()} `));
      expect(uas.requests[1]!.digestOk).toBe(true);
    });
  }

  it('times out over TCP without retransmitting when the phone never answers', async () => {
    uas = await startUas({ silent: true }, { tcp: true });
    const r = await new SipNotifier({ t1Ms: 10 }).send({ target: target(uas.tcpPort!), transport: 'tcp', event: 'check-sync', reboot: false });
    expect(r).toMatchObject({ kind: 'timeout', attempts: 1 });
    expect(uas.requests).toHaveLength(1);
  });

  it('reports a closed port as an error instead of waiting', async () => {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    const port = s.address().port;
    await new Promise<void>((r) => s.close(() => r()));
    const r = await notifier.send({ target: target(port), event: 'check-sync', reboot: false });
    expect(r.kind).toBe('error');
  });
});
