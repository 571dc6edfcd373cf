/**
 * The PnP responder end to end, inside a network namespace this test creates: a real daemon
 * with `pnp.enabled` joins 224.0.1.75 on the host end of a veth pair; a scripted SIP phone in
 * the namespace (pnp-client.mjs, since sipp is not in Debian 12) sends SUBSCRIBEs to the group
 * and to unicast. Asserts the 200 OK, the NOTIFY body per vendor, the ledger record, and that
 * unknown devices, garbage and floods get nothing.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverInfo } from '../../src/cli/setup.js';
import { parseMac } from '../../src/core/mac.js';
import { createVendorRegistry } from '../../src/vendors/index.js';
import { REPO, startDaemon, type Daemon } from './daemon-harness.js';

const run = promisify(execFile);
const CLIENT = join(REPO, 'test', 'integration', 'pnp-client.mjs');
const tag = randomBytes(3).toString('hex');
const NS = `pnp-${tag}`;
const HOST_IF = `pnp-h${tag}`;
const NS_IF = `pnp-c${tag}`;
const net = 10 + (parseInt(tag, 16) % 200);
const HOST = `10.231.${net}.1`;
const PHONE = `10.231.${net}.2`;
const FLOODER = `10.231.${net}.3`;

interface Received {
  startLine: string;
  callId?: string;
  contentType?: string;
  event?: string;
  subscriptionState?: string;
  to?: string;
  body: string;
  from: string;
  time: number;
}

async function ip(...args: string[]): Promise<void> {
  await run('ip', args);
}

async function phone(opts: Record<string, unknown>): Promise<Received[]> {
  const { stdout } = await run('ip', ['netns', 'exec', NS, process.execPath, CLIENT, JSON.stringify({ bind: PHONE, ...opts })], { timeout: 20_000 });
  return JSON.parse(stdout) as Received[];
}

describe('SIP PnP responder in a network namespace', () => {
  let d: Daemon;
  let port: number;

  beforeAll(async () => {
    await ip('netns', 'add', NS);
    await ip('link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NS_IF);
    await ip('link', 'set', NS_IF, 'netns', NS);
    await ip('addr', 'add', `${HOST}/24`, 'dev', HOST_IF);
    await ip('link', 'set', HOST_IF, 'up');
    await ip('-n', NS, 'addr', 'add', `${PHONE}/24`, 'dev', NS_IF);
    await ip('-n', NS, 'addr', 'add', `${FLOODER}/24`, 'dev', NS_IF);
    await ip('-n', NS, 'link', 'set', 'lo', 'up');
    await ip('-n', NS, 'link', 'set', NS_IF, 'up');
    await ip('-n', NS, 'route', 'add', '224.0.0.0/4', 'dev', NS_IF);
    d = await startDaemon({
      extraConfig: ['pnp:', '  enabled: true', `  interface: ${HOST}`, '  port: 0', '  per_address_per_minute: 30'].join('\n'),
    });
    port = Number((await d.waitForLog((l) => l.msg === 'listening' && l.protocol === 'pnp')).port);
  }, 40_000);

  afterAll(async () => {
    await d?.stop();
    await run('ip', ['link', 'del', HOST_IF]).catch(() => undefined);
    await run('ip', ['netns', 'del', NS]).catch(() => undefined);
  });

  const expectedUrl = (vendorId: string): string => {
    const vendor = createVendorRegistry().get(vendorId)!;
    return vendor.provisioningUrl(serverInfo('127.0.0.1', { http: d.port }), 'http')!;
  };
  /** Undefined for a vendor with no URL over the daemon's schemes (Cisco enterprise is TFTP only). */
  const urlFor = (vendorId: string): string | undefined =>
    createVendorRegistry().get(vendorId)!.provisioningUrl(serverInfo('127.0.0.1', { http: d.port }), 'http');

  it('answers a multicast SUBSCRIBE from an inventory device with 200 OK and a NOTIFY carrying its URL', async () => {
    const got = await phone({ target: '224.0.1.75', port, macs: ['805ec0d57d72'] });
    const ok = got.find((m) => m.startLine === 'SIP/2.0 200 OK');
    const notify = got.find((m) => m.startLine.startsWith('NOTIFY '));
    expect(ok?.from).toBe(`${HOST}:${port}`);
    expect(ok?.to).toMatch(/;tag=[0-9a-f]+$/);
    expect(notify?.contentType).toBe('application/url');
    expect(notify?.event).toMatch(/^ua-profile;/);
    expect(notify?.subscriptionState).toMatch(/^terminated/);
    expect(notify?.callId).toBe(ok?.callId);
    expect(notify?.body).toBe(expectedUrl('yealink'));
    expect(notify?.body).toBe(`http://127.0.0.1:${d.port}/$PN/`);
  });

  it('answers on unicast too, for every shipped vendor matched by OUI alone', async () => {
    const registry = createVendorRegistry();
    let answered = 0;
    for (const vendor of registry.all()) {
      // An OUI this vendor owns alone (Cisco families share some); vendors without one (the video
      // codecs) cannot be matched by OUI at all.
      const oui = vendor.ouis.find((o) => registry.byMac(parseMac(`${o}a1b2c3`)!)?.id === vendor.id);
      if (oui === undefined) continue;
      const got = await phone({ target: HOST, port, macs: [`${oui}a1b2c3`], vendor: vendor.displayName });
      const url = urlFor(vendor.id);
      if (url === undefined) {
        expect(got, vendor.id).toEqual([]);
        continue;
      }
      expect(got.map((m) => m.startLine.split(' ')[0]), vendor.id).toEqual(['SIP/2.0', 'NOTIFY']);
      expect(got[1]!.body, vendor.id).toBe(url);
      answered++;
    }
    expect(answered).toBeGreaterThan(1);
  });

  it('records each exchange in the ledger with protocol pnp', async () => {
    await phone({ target: HOST, port, macs: ['249ad8102030'] });
    let rows: { protocol: string; outcome: string; status?: number; mac?: string; detail?: Record<string, unknown> }[] = [];
    for (let i = 0; i < 50 && rows.length === 0; i++) {
      const r = await d.cli(['ledger', '--mac', '249ad8102030', '--json']);
      rows = r.stdout.trim() === '' ? [] : r.stdout.trim().split('\n').map((l) => JSON.parse(l) as (typeof rows)[number]);
      if (rows.length === 0) await new Promise((res) => setTimeout(res, 100));
    }
    expect(rows[0]).toMatchObject({ protocol: 'pnp', outcome: 'served', status: 200, mac: '249ad8102030' });
    expect(rows[0]!.detail).toMatchObject({ transport: 'unicast', matched: 'inventory', vendor: 'yealink', url: expectedUrl('yealink'), transmissions: 1 });
  });

  it('retransmits the NOTIFY (RFC 3261 timer E) until the phone answers', async () => {
    const got = await phone({ target: HOST, port, macs: ['44dbd2aabb01'], ignoreNotifies: 2, waitMs: 3000 });
    const notifies = got.filter((m) => m.startLine.startsWith('NOTIFY '));
    expect(notifies.length).toBe(3);
    // T1 = 500 ms, then 2*T1: the retransmissions are due 0.5 s and 1.5 s after the first send.
    // Timers only ever fire late, so the total is the robust bound on a loaded machine.
    const gap1 = notifies[1]!.time - notifies[0]!.time;
    const total = notifies[2]!.time - notifies[0]!.time;
    expect(gap1).toBeGreaterThanOrEqual(400);
    expect(total).toBeGreaterThanOrEqual(1400);
  });

  it('says nothing to an unknown device, to garbage, or to a huge or broken message', async () => {
    const bogusSubscribe = Buffer.from('SUBSCRIBE sip:x@224.0.1.75 SIP/2.0\r\nEvent: ua-profile\r\nContent-Length: 999\r\n\r\n');
    const got = await phone({
      target: '224.0.1.75',
      port,
      macs: ['020000000001'],
      raw: [Buffer.from('garbage').toString('base64'), Buffer.alloc(6000, 0x41).toString('base64'), Buffer.from([0xff, 0xfe, 0x00]).toString('base64'), bogusSubscribe.toString('base64')],
    });
    expect(got).toEqual([]);
    // Still alive and answering.
    const again = await phone({ target: HOST, port, macs: ['805ec0d57d72'] });
    expect(again.some((m) => m.startLine.startsWith('NOTIFY '))).toBe(true);
  });

  it('answers one address at most per_address_per_minute times (no reflector under a flood)', async () => {
    const macs = Array.from({ length: 40 }, () => '805ec0d57d72');
    const got = await phone({ target: HOST, port, macs, bind: FLOODER, waitMs: 2500 });
    const oks = got.filter((m) => m.startLine === 'SIP/2.0 200 OK');
    expect(oks.length).toBe(30);
    // One exchange per device at a time: each newer SUBSCRIBE took over from the one before.
    const r = await d.cli(['ledger', '--mac', '805ec0d57d72', '--json', '--limit', '1000']);
    const superseded = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { protocol: string; reason?: string })
      .filter((x) => x.protocol === 'pnp' && x.reason === 'superseded');
    expect(superseded.length).toBe(29);
  });
});
