/**
 * pending -> resync -> current through the built daemon: a phone fetches, the admin changes its
 * password, `provd resync --pending` makes the daemon send a NOTIFY to a scripted SIP UAS on UDP
 * (standing in for the phone; sipp is not in Debian 12), which challenges it with digest, checks
 * the answer against the new line password, then fetches its files like a phone would. Also: a
 * wave whose phone never fetches stops and names it; unknown addresses and silence are recorded.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, eventually } from './daemon-harness.js';
import { FULL_TOKEN, startAdminDaemon, type AdminDaemon } from './admin-harness.js';
import { startUas, type UasScript } from '../fixtures/sip/uas.js';
import { createVendorRegistry } from '../../src/vendors/index.js';

const YEALINK = createVendorRegistry().get('yealink')!.notify;

const MAC = '805ec0d57d72';
const UA = 'Yealink SIP-T46U 108.86.0.20 80:5e:c0:d5:7d:72';
const FILES = [`${MAC}.boot`, 'y000000000108.cfg', `${MAC}.cfg`];
const OTHER = '249ad8102030';
const NEVER_SEEN = '44dbd2aabb01';

interface Device { state: string }

type Req = Awaited<ReturnType<typeof startUas>>['requests'][number];
/** One entry per request: UDP retransmissions (a slow answer on a loaded machine) removed. */
const distinct = (reqs: readonly Req[]): Req[] => {
  const seen = new Set<string>();
  return reqs.filter((q) => {
    const key = `${q.headers.get('call-id')?.[0]} ${q.headers.get('cseq')?.[0]}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

describe('resync over SIP NOTIFY through the daemon', () => {
  let d: AdminDaemon;
  const script: { -readonly [K in keyof UasScript]: UasScript[K] } = {};
  let uas: Awaited<ReturnType<typeof startUas>>;
  const fetchAll = async () => {
    for (const f of FILES) expect((await curl(['-A', UA, `${d.base}/${f}`])).status).toBe(200);
  };

  beforeAll(async () => {
    uas = await startUas(script);
    d = await startAdminDaemon({ adminExtra: ['  notify:', `    port: ${uas.port}`, '    t1_ms: 50', '    rate_per_second: 20', '    wave_timeout_seconds: 3'].join('\n') });
  });
  afterAll(async () => {
    await d?.stop();
    await uas?.close();
  });

  it('turns a pending phone current: NOTIFY, digest with the new line password, fetch', async () => {
    await fetchAll();
    await eventually(async () => ((await d.json<Device>(`/api/devices/${MAC}`)).state === 'current' ? true : undefined));

    const inv = join(d.dir, 'inventory', 'devices.yaml');
    writeFileSync(inv, readFileSync(inv, 'utf8').replace('password: "demo-zoom-1"', 'password: "changed-pw-1"'));
    await eventually(async () => ((await d.json<Device>(`/api/devices/${MAC}`)).state === 'pending' ? true : undefined), 10_000);

    script.challenge = { realm: 'yealink', user: '343', password: 'changed-pw-1', qop: true };
    script.onAccepted = () => void fetchAll();
    const before = uas.requests.length;
    const r = await d.cli(['resync', '--pending', '--wave', '1', '--rate', '5/s']);
    expect(r.stderr).toContain('wave 1 (1): done');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`${MAC}\\s+1\\s+fetched\\s+200\\s+127\\.0\\.0\\.1:${uas.port}`));
    const sent = distinct(uas.requests.slice(before));
    expect(sent.map((q) => q.headers.get('event')?.[0])).toEqual([YEALINK.resync, YEALINK.resync]);
    expect(sent[0]!.uri).toBe(`sip:3223@127.0.0.1:${uas.port}`);
    expect(sent[1]!.digestOk).toBe(true);
    expect((await d.json<Device>(`/api/devices/${MAC}`)).state).toBe('current');
    const metrics = await (await d.api('/metrics')).text();
    expect(metrics).toMatch(/provd_resync_total\{vendor="yealink",result="200"\} 1/);
  });

  it('sends the reboot event with --reboot', async () => {
    const before = uas.requests.length;
    const r = await d.cli(['resync', MAC, '--reboot']);
    expect(r.code).toBe(0);
    expect(distinct(uas.requests.slice(before))[0]!.headers.get('event')?.[0]).toBe(YEALINK.reboot);
  });

  it('stops a wave whose phone never fetches and names it; skips the later waves', async () => {
    expect((await curl(['-A', 'Yealink SIP-T54W 96.86.0.10 24:9a:d8:10:20:30', `${d.base}/${OTHER}.boot`])).status).toBe(200);
    await eventually(async () => ((await d.json<{ lastSeen: unknown }>(`/api/devices/${OTHER}`)).lastSeen ? true : undefined));
    script.challenge = undefined;
    script.onAccepted = undefined;
    const r = await d.cli(['resync', OTHER, MAC, '--wave', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`did not fetch: ${OTHER}`);
    expect(r.stdout).toMatch(new RegExp(`${OTHER}\\s+1\\s+no_fetch`));
    expect(r.stdout).toMatch(new RegExp(`${MAC}\\s+2\\s+skipped`));
  });

  it('records a device without a known address and a phone that never answers, per device', async () => {
    const noAddr = await d.cli(['resync', NEVER_SEEN, '--json']);
    expect(noAddr.code).toBe(1);
    const run = JSON.parse(noAddr.stdout) as { devices: { mac: string; status: string; message: string }[] };
    expect(run.devices[0]).toMatchObject({ mac: NEVER_SEEN, status: 'no_address' });
    expect(run.devices[0]!.message).toContain('never seen');

    script.silent = true;
    const silent = await d.cli(['resync', OTHER, '--json']);
    script.silent = false;
    expect(silent.code).toBe(1);
    const s = JSON.parse(silent.stdout) as { devices: { status: string; message: string }[] };
    expect(s.devices[0]).toMatchObject({ status: 'timeout' });
    const metrics = await (await d.api('/metrics')).text();
    expect(metrics).toMatch(/provd_resync_total\{vendor="yealink",result="timeout"\} 1/);
    expect(metrics).toMatch(/provd_resync_total\{vendor="yealink",result="no_address"\} 1/);
  });

  it('leaves a phone already in a running resync to that run', async () => {
    script.onAccepted = undefined;
    const body = JSON.stringify({ macs: [OTHER] });
    const first = await d.api('/api/resync', { method: 'POST', token: FULL_TOKEN, headers: { 'content-type': 'application/json' }, body });
    expect(first.status).toBe(202);
    const id = ((await first.json()) as { id: string }).id;
    const second = await d.api('/api/resync', { method: 'POST', token: FULL_TOKEN, headers: { 'content-type': 'application/json' }, body });
    expect(second.status).toBe(422);
    expect(JSON.stringify(await second.json())).toContain(`already being resynced by run ${id}`);
    await eventually(async () => ((await d.json<{ state: string }>(`/api/resync/${id}`)).state !== 'running' ? true : undefined), 10_000);
  });

  it('paces NOTIFYs at the requested rate', async () => {
    script.onAccepted = () => void fetchAll();
    const before = uas.requests.length;
    const r = await d.cli(['resync', MAC, OTHER, '--rate', '4/s', '--json']);
    const run = JSON.parse(r.stdout) as { ratePerSecond: number; devices: { status: string }[] };
    expect(run.ratePerSecond).toBe(4);
    const arrivals = distinct(uas.requests.slice(before)).map((q) => q.at);
    expect(arrivals).toHaveLength(2);
    // 4/s: a quarter second between sends, measured at the receiver (slack for timers and a
    // loaded machine; the run's default here is 20/s, i.e. 50 ms).
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(150);
    script.onAccepted = undefined;
  });

  it('refuses bad resync arguments before talking to the daemon, and without a resync token', async () => {
    expect((await d.cli(['resync'])).code).toBe(2);
    expect((await d.cli(['resync', '--pending', '--rate', 'fast'])).stderr).toContain('--rate');
    expect((await d.cli(['resync', '--pending', '--wave', '5,1'])).stderr).toContain('--wave');
    const unknown = await d.cli(['resync', '001122334455']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no device 001122334455');
    void FULL_TOKEN;
  });
});
