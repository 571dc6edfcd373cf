/**
 * The admin API over real HTTP against the built daemon: auth (no token, wrong token, scopes),
 * every route, malformed parameters listing each problem, pagination, masking.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, eventually } from './daemon-harness.js';
import { FULL_TOKEN, startAdminDaemon, type AdminDaemon } from './admin-harness.js';

const MAC = '805ec0d57d72';
const UA = 'Yealink SIP-T46U 108.86.0.20 80:5e:c0:d5:7d:72';

interface DeviceJson { mac: string; state: string; site: string | null; model: string; files: { file: string; state: string }[]; lastSeen: { address: string } | null }

describe('admin API', () => {
  let d: AdminDaemon;
  beforeAll(async () => {
    d = await startAdminDaemon();
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('answers health and readiness without a token, and serves its OpenAPI document', async () => {
    expect((await d.api('/healthz', { token: null })).status).toBe(200);
    expect(await (await d.api('/readyz', { token: null })).json()).toEqual({ status: 'ready' });
    const doc = (await (await d.api('/api/openapi.json', { token: null })).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/api/devices', '/api/devices/{mac}', '/api/ledger', '/api/status', '/api/inventory', '/api/resync', '/api/jobs', '/metrics']) {
      expect(doc.paths).toHaveProperty([p]);
    }
  });

  it('refuses a missing or wrong token with a bare 401 that leaks nothing', async () => {
    for (const token of [null, 'x', 'read-only-token-0123456789abcdeX', `${FULL_TOKEN}x`]) {
      for (const path of ['/api/devices', `/api/devices/${MAC}`, '/metrics', '/api/nope']) {
        const r = await d.api(path, { token });
        expect(r.status).toBe(401);
        expect(await r.text()).toBe('{"error":"unauthorized"}\n');
        expect(r.headers.get('www-authenticate')).toBe('Bearer realm="provd-admin"');
      }
    }
    const basic = await fetch(`${d.admin}/api/devices`, { headers: { authorization: `Basic ${Buffer.from(`x:${FULL_TOKEN}`).toString('base64')}` } });
    expect(basic.status).toBe(401);
  });

  it('lists devices with filters, and turns a device from never to current after its fetches', async () => {
    const all = await d.json<{ total: number; devices: DeviceJson[] }>('/api/devices');
    expect(all.total).toBeGreaterThanOrEqual(3);
    const hq = await d.json<{ devices: DeviceJson[] }>('/api/devices?site=hq');
    expect(hq.devices.length).toBeGreaterThan(0);
    expect(hq.devices.every((x) => x.site === 'hq')).toBe(true);
    const t46 = await d.json<{ devices: DeviceJson[] }>('/api/devices?vendor=yealink&model=t46u');
    // The example inventory has more T46U phones (the encrypted one of devices-yealink-secure.yaml).
    expect(t46.devices.map((x) => x.mac)).toContain(MAC);
    expect(t46.devices.every((x) => x.model === 'T46U')).toBe(true);
    expect(t46.devices.find((x) => x.mac === MAC)?.state).toBe('never');

    for (const f of [`${MAC}.boot`, 'y000000000108.cfg', `${MAC}.cfg`]) expect((await curl(['-A', UA, `${d.base}/${f}`])).status).toBe(200);
    const dev = await eventually(async () => {
      const r = await d.json<{ devices: DeviceJson[] }>('/api/devices?state=current');
      return r.devices.find((x) => x.mac === MAC);
    });
    expect(dev.lastSeen?.address).toBe('127.0.0.1');
    expect(dev.files.every((f) => f.state === 'current')).toBe(true);
    const never = await d.json<{ devices: DeviceJson[] }>('/api/devices?state=never');
    expect(never.devices.some((x) => x.mac === MAC)).toBe(false);
    const searched = await d.json<{ devices: DeviceJson[] }>('/api/devices?q=80:5e:c0');
    expect(searched.devices.map((x) => x.mac)).toContain(MAC);
    expect(searched.devices.every((x) => x.mac.startsWith('805ec0'))).toBe(true);
    const paged = await d.json<{ total: number; limit: number; devices: DeviceJson[] }>('/api/devices?limit=1&offset=1');
    expect(paged.devices).toHaveLength(1);
    expect(paged.devices[0]?.mac).toBe(all.devices[1]?.mac);
  });

  it('shows one device with masked accounts and its history; 404 for an unknown one, 400 for a bad MAC', async () => {
    const one = await d.json<{ accounts: { password: string; user: string }[]; files: unknown[]; history: unknown[] }>(`/api/devices/80:5E:C0:D5:7D:72`);
    expect(one.accounts.map((a) => a.password)).toEqual(['********', '********']);
    expect(JSON.stringify(one)).not.toContain('demo-zoom');
    expect(one.files.length).toBeGreaterThan(0);
    expect((await d.api('/api/devices/001122334455')).status).toBe(404);
    const bad = await d.api('/api/devices/not-a-mac');
    expect(bad.status).toBe(400);
  });

  it('previews a render masked, unmasked only with the secrets scope', async () => {
    const masked = await d.api(`/api/devices/${MAC}/files/${MAC}.cfg`);
    expect(masked.status).toBe(200);
    const text = await masked.text();
    expect(text).toContain('account.1.password = ********');
    expect(text).not.toContain('demo-zoom-1');
    expect(masked.headers.get('x-provd-md5')).toMatch(/^[0-9a-f]{32}$/);
    expect((await d.api(`/api/devices/${MAC}/files/${MAC}.cfg?unmasked=true`)).status).toBe(403);
    const plain = await d.api(`/api/devices/${MAC}/files/${MAC}.cfg?unmasked=true`, { token: FULL_TOKEN });
    expect(await plain.text()).toContain('demo-zoom-1');
    expect((await d.api(`/api/devices/${MAC}/files/nope.cfg`)).status).toBe(404);
    const diff = await d.json<{ note: string; lines: unknown[] }>(`/api/devices/${MAC}/files/${MAC}.cfg/diff`);
    expect(diff.note).toBe('the device holds the current render');
  });

  it('queries the ledger by device, time and outcome, paginated', async () => {
    await curl([`${d.base}/001122334455.cfg`]);
    const served = await eventually(async () => {
      const r = await d.json<{ rows: { mac: string; outcome: string }[] }>(`/api/ledger?mac=${MAC}&outcome=served`);
      return r.rows.length >= 3 ? r : undefined;
    });
    expect(served.rows.every((r) => r.mac === MAC && r.outcome === 'served')).toBe(true);
    const p1 = await d.json<{ rows: { id: number }[]; more: boolean; next: number }>(`/api/ledger?limit=2`);
    expect(p1.rows).toHaveLength(2);
    expect(p1.more).toBe(true);
    const p2 = await d.json<{ rows: { id: number }[] }>(`/api/ledger?limit=2&offset=${p1.next}`);
    expect(p2.rows[0]!.id).toBeLessThan(p1.rows[1]!.id);
    const future = await d.json<{ rows: unknown[] }>('/api/ledger?since=2999-01-01');
    expect(future.rows).toEqual([]);
    const past = await d.json<{ rows: unknown[] }>('/api/ledger?until=2000-01-01T00:00:00Z');
    expect(past.rows).toEqual([]);
  });

  it('answers malformed query parameters with 400 listing each problem', async () => {
    const r = await d.api('/api/ledger?mac=zz&since=yesterday&limit=0&outcome=great&colour=red');
    expect(r.status).toBe(400);
    const body = (await r.json()) as { problems: { param: string }[] };
    expect(body.problems.map((p) => p.param).sort()).toEqual(['colour', 'limit', 'mac', 'outcome', 'since']);
    const r2 = await d.json<never>('/api/devices?state=late&limit=x').catch((e: Error) => e.message);
    expect(r2).toContain('400');
    expect(r2).toContain('state');
    expect(r2).toContain('limit');
  });

  it('summarises status per site and model, and reports the inventory load', async () => {
    const s = await d.json<{ total: Record<string, number>; bySite: Record<string, Record<string, number>>; byModel: Record<string, unknown> }>('/api/status');
    expect(s.total.current).toBeGreaterThanOrEqual(1);
    expect(s.bySite.hq?.current).toBeGreaterThanOrEqual(1);
    expect(s.byModel).toHaveProperty(['yealink/T46U']);
    const inv = await d.json<{ lastAttempt: { ok: boolean; devices: number }; lastGood: { ok: boolean } }>('/api/inventory');
    expect(inv.lastAttempt.ok).toBe(true);
    expect(inv.lastAttempt.devices).toBeGreaterThanOrEqual(3);
  });

  it('streams a fetch event over /api/events when a phone fetches', async () => {
    expect((await d.api('/api/events', { token: null })).status).toBe(401);
    const ac = new AbortController();
    const r = await d.api('/api/events', { signal: ac.signal });
    expect(r.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = r.body!.getReader();
    let text = '';
    const got = (async () => {
      const decoder = new TextDecoder();
      while (!text.includes('event: fetch')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    })();
    await curl(['-A', UA, `${d.base}/${MAC}.boot`]);
    await Promise.race([got, new Promise((_r, rej) => setTimeout(() => rej(new Error(`no event: ${text}`)), 5000))]);
    ac.abort();
    const data = JSON.parse(/event: fetch\ndata: (.*)\n/.exec(text)![1]!) as { mac: string; outcome: string; file: string };
    expect(data).toMatchObject({ mac: MAC, outcome: 'served', file: `${MAC}.boot` });
  });

  it('checks resync bodies and scopes, and lists jobs', async () => {
    const noScope = await d.api('/api/resync', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"macs":["805ec0d57d72"]}' });
    expect(noScope.status).toBe(403);
    const bad = await d.api('/api/resync', { method: 'POST', token: FULL_TOKEN, headers: { 'content-type': 'application/json' }, body: '{"macs":["nope"],"rate":-1,"waves":[5,1],"extra":1}' });
    expect(bad.status).toBe(400);
    const problems = ((await bad.json()) as { problems: { param: string }[] }).problems.map((p) => p.param).sort();
    expect(problems).toEqual(['extra', 'macs', 'rate', 'waves']);
    const notJson = await d.api('/api/resync', { method: 'POST', token: FULL_TOKEN, headers: { 'content-type': 'application/json' }, body: '{' });
    expect(notJson.status).toBe(400);
    expect((await d.api('/api/resync/none')).status).toBe(404);
    expect((await d.json<{ runs: unknown[] }>('/api/resync')).runs).toBeInstanceOf(Array);
    expect((await d.json<{ jobs: unknown[] }>('/api/jobs')).jobs).toBeInstanceOf(Array);
    expect((await d.api('/api/jobs/nope/run', { method: 'POST', token: FULL_TOKEN })).status).toBe(404);
    expect((await d.api('/api/jobs/nope/run', { method: 'POST' })).status).toBe(403);
  });
});
