/**
 * Cisco MPP, SPA and enterprise, Fanvil, Snom and Htek phones against the running daemon over
 * HTTP with curl and each vendor's real User-Agent (vendors.md §1.2), replaying the boot
 * sequences of vendors.md §1.1 on the example inventory (config/inventory/devices-cisco-others.yaml):
 * each step a known phone takes, the URL it follows from one file to the next, and the 404s that
 * make an unknown phone fall back to the model-wide file, with their ledger reasons.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, eventually, startDaemon, type Daemon } from './daemon-harness.js';

interface LedgerJson {
  path: string;
  outcome: string;
  reason: string | null;
  status: number | null;
}
const jsonLines = <T>(text: string): T[] => text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);

/** The path part of a URL the daemon wrote into a file (it points back at this daemon). */
function pathOf(url: string, d: Daemon): string {
  expect(url.startsWith(`${d.base}/`), url).toBe(true);
  return url.slice(d.base.length);
}

describe('Cisco, Fanvil, Snom and Htek boot sequences over HTTP', () => {
  let d: Daemon;
  const get = async (ua: string | undefined, path: string) => curl([...(ua === undefined ? [] : ['-A', ua]), `${d.base}${path}`]);
  beforeAll(async () => {
    // Several unknown phones ask from 127.0.0.1 here; keep the scanner guard out of the way.
    d = await startDaemon({ extraConfig: ['security:', '  scanner: { unknown_macs: 100, window_seconds: 60, block_seconds: 60 }'].join('\n') });
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('Cisco MPP: $PSN.xml (as NNNN-3PCC.xml and NNNN.xml) points at $MA.xml; an unknown MAC gets 404', async () => {
    const ua = 'Cisco-CP-7841-3PCC/12.0.7 (00562b043615)';
    const rule = await get(ua, '/7841-3PCC.xml');
    expect(rule.status).toBe(200);
    expect(rule.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(rule.body.toString()).not.toMatch(/Password/);
    const short = await get(ua, '/7841.xml');
    expect(short.body.equals(rule.body)).toBe(true);
    const target = /<Profile_Rule_B ua="na">([^<]+)<\/Profile_Rule_B>/.exec(rule.body.toString())?.[1] ?? '';
    expect(target).toBe(`${d.base}/$MA.xml`);
    // The phone expands $MA to its lower-case bare MAC.
    const profile = await get(ua, pathOf(target.replace('$MA', '00562b043615'), d));
    expect(profile.status).toBe(200);
    const text = profile.body.toString();
    expect(text).toContain('<User_ID_1_ ua="na">3225</User_ID_1_>');
    expect(text).toContain('<Auth_ID_1_ ua="na">345</Auth_ID_1_>');
    expect(text).toContain('<Password_1_ ua="na">demo-zoom-cisco</Password_1_>');
    expect(text).toContain('<SIP_Transport_1_ ua="na">TLS</SIP_Transport_1_>');
    expect(text).toContain('<Secure_Call_Setting_1_ ua="na">Yes</Secure_Call_Setting_1_>');
    expect(text).toContain('<Line_Enable_4_ ua="na">No</Line_Enable_4_>');

    const stranger = 'Cisco-CP-7841-3PCC/12.0.7 (00562b000001)';
    expect((await get(stranger, '/7841-3PCC.xml')).status).toBe(200);
    expect((await get(stranger, '/00562b000001.xml')).status).toBe(404);
  });

  it('Cisco SPA: spa$PSN.cfg in any case, then $MA.xml', async () => {
    const ua = 'Cisco/SPA504G-7.6.2 (0002FDFF2103)(CBT141400UK)';
    const upper = await get(ua, '/spa504G.cfg');
    const lower = await get(ua, '/spa504g.cfg');
    expect(upper.status).toBe(200);
    expect(lower.status).toBe(200);
    expect(lower.body.equals(upper.body)).toBe(true);
    const target = /<Profile_Rule_B ua="na">([^<]+)<\/Profile_Rule_B>/.exec(upper.body.toString())?.[1] ?? '';
    const profile = await get(ua, pathOf(target.replace('$MA', '0002fdff2103'), d));
    expect(profile.status).toBe(200);
    expect(profile.body.toString()).toContain('<Password_2_ ua="na">demo-pbx-212</Password_2_>');
    expect(profile.body.toString()).toContain('<Use_Auth_ID_1_ ua="na">Yes</Use_Auth_ID_1_>');
    expect((await get('Cisco/SPA504G-7.6.2 (0002FD000001)(CBT1)', '/0002fd000001.xml')).status).toBe(404);
  });

  it('Cisco enterprise: CTL/ITL 404, SEP<MAC>.cnf.xml; an unknown phone falls back to XMLDefault.cnf.xml', async () => {
    expect((await get(undefined, '/CTLSEP001BD4C23A10.tlv')).status).toBe(404);
    expect((await get(undefined, '/ITLSEP001BD4C23A10.tlv')).status).toBe(404);
    const cnf = await get(undefined, '/SEP001BD4C23A10.cnf.xml');
    expect(cnf.status).toBe(200);
    expect(cnf.body.toString()).toContain('<authPassword>demo-pbx-221</authPassword>');
    expect(cnf.body.toString()).toContain('<processNodeName>pbx.example.lan</processNodeName>');
    expect((await get(undefined, '/SEP001bd4c23a10.cnf.xml')).body.equals(cnf.body)).toBe(true);

    expect((await get(undefined, '/SEP001BD4000001.cnf.xml')).status).toBe(404);
    const fallback = await get(undefined, '/XMLDefault.cnf.xml');
    expect(fallback.status).toBe(200);
    expect(fallback.body.toString()).not.toMatch(/authPassword|line button/);
  });

  it('Snom: snom<model>-<MAC>.htm lists the model and MAC files; an unknown phone falls back to snom<model>.htm', async () => {
    const ua = 'Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 2010.12-00004-g9ba52f5 000413922D24 SXM:0 UXM:0)';
    const list = await get(ua, '/snomD785-000413922D24.htm');
    expect(list.status).toBe(200);
    const urls = [...list.body.toString().matchAll(/<file url="([^"]+)"\/>/g)].map((m) => m[1] ?? '');
    expect(urls).toEqual([`${d.base}/snomD785.xml`, `${d.base}/000413922D24.xml`]);
    const bodies = await Promise.all(urls.map((u) => get(ua, pathOf(u, d))));
    expect(bodies.map((b) => b.status)).toEqual([200, 200]);
    expect(bodies[0]?.body.toString()).not.toMatch(/user_pass/);
    const mine = bodies[1]?.body.toString() ?? '';
    expect(mine).toContain('<user_pass idx="1" perm="R">demo-zoom-snom</user_pass>');
    expect(mine).toContain('<user_savp idx="1" perm="R">mandatory</user_savp>');
    expect(mine).toContain(`<setting_server perm="RW">${d.base}/snomD785-000413922D24.htm</setting_server>`);
    // Lookups ignore case: a lower-case MAC gets the same bytes.
    expect((await get(ua, '/000413922d24.xml')).body.toString()).toBe(mine);

    const stranger = 'Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 2010.12-00004-g9ba52f5 000413000001 SXM:0 UXM:0)';
    expect((await get(stranger, '/snomD785-000413000001.htm')).status).toBe(404);
    const common = await get(stranger, '/snomD785.htm');
    expect(common.status).toBe(200);
    expect([...common.body.toString().matchAll(/<file url="([^"]+)"\/>/g)].map((m) => m[1])).toEqual([`${d.base}/snomD785.xml`]);
    expect((await get(stranger, '/000413000001.xml')).status).toBe(404);
  });

  it('Fanvil: the model file, then <mac>.cfg (also under Fanvil/); an unknown MAC gets 404', async () => {
    const ua = 'Fanvil X6 2.6.0.6248 0c383e557eb1';
    const model = await get(ua, '/F0V00X600000.cfg');
    expect(model.status).toBe(200);
    expect(model.body.toString()).not.toMatch(/Pswd/);
    const own = await get(ua, '/0c383e557eb1.cfg');
    expect(own.status).toBe(200);
    expect(own.body.toString()).toContain('<Register_Pswd>demo-welink-fanvil</Register_Pswd>');
    expect(own.body.toString()).toContain('<Transport>3</Transport>');
    expect((await get(ua, '/Fanvil/0c383e557eb1.cfg')).body.equals(own.body)).toBe(true);
    expect((await get('Fanvil X6 2.6.0.6248 0c383e000001', '/0c383e000001.cfg')).status).toBe(404);
  });

  it('Htek: cfg00NN.xml, then cfg<mac>.xml; an unknown MAC gets 404', async () => {
    const ua = 'Htek UC903 2.0.4.2 00:1f:c1:1c:22:a9';
    const model = await get(ua, '/cfg0016.xml');
    expect(model.status).toBe(200);
    expect(model.body.toString()).not.toMatch(/Password/);
    const own = await get(ua, '/cfg001fc11c22a9.xml');
    expect(own.status).toBe(200);
    expect(own.body.toString()).toContain('<P34 para="Account1_AuthenticatePassword">demo-pbx-231</P34>');
    expect(own.body.toString()).toContain('<P734 para="Account2_AuthenticatePassword">demo-pbx-232</P734>');
    expect((await get('Htek UC903 2.0.4.2 00:1f:c1:00:00:01', '/cfg001fc1000001.xml')).status).toBe(404);
  });

  it('records the fall-back 404s in the ledger as unknown devices and missing files', async () => {
    const rows = await eventually(async () => {
      const r = jsonLines<LedgerJson>((await d.cli(['ledger', '--json', '--limit', '200'])).stdout);
      return r.some((x) => x.path.endsWith('cfg001fc1000001.xml')) ? r : undefined;
    });
    const reasonOf = (suffix: string) => rows.find((x) => x.path.endsWith(suffix))?.reason;
    expect(reasonOf('/00562b000001.xml')).toBe('unknown_device');
    expect(reasonOf('/SEP001BD4000001.cnf.xml')).toBe('unknown_device');
    expect(reasonOf('/snomD785-000413000001.htm')).toBe('unknown_device');
    expect(reasonOf('/0c383e000001.cfg')).toBe('unknown_device');
    expect(reasonOf('/cfg001fc1000001.xml')).toBe('unknown_device');
    // The trust lists of a known phone are simply not there.
    expect(reasonOf('/CTLSEP001BD4C23A10.tlv')).toBe('no_such_file');
  });
});

describe('a device whose accounts its vendor cannot hold', () => {
  it('answers 404 for that file with the reason in the ledger, and serves the rest', async () => {
    const d = await startDaemon({
      prepare: (dir) =>
        writeFileSync(
          join(dir, 'inventory', 'devices-htek-split.yaml'),
          [
            'devices:',
            '  - mac: "00:1f:c1:00:00:99"',
            '    model: UC926',
            '    site: lab',
            '    accounts:',
            '      - { user: "241", password: "demo-241" }',
            '      - { user: "242", password: "demo-242", registrar: "other-pbx.example.lan" }',
          ].join('\n'),
        ),
    });
    try {
      const ua = 'Htek UC926 2.0.4.4.58 00:1f:c1:00:00:99';
      const r = await curl(['-A', ua, `${d.base}/cfg001fc1000099.xml`]);
      expect(r.status).toBe(404);
      expect(r.body.toString()).not.toContain('demo-24');
      expect((await curl(['-A', ua, `${d.base}/cfg0010.xml`])).status).toBe(200);
      const row = await eventually(async () =>
        jsonLines<LedgerJson & { message?: string | null }>((await d.cli(['ledger', '--json', '--limit', '20'])).stdout).find((x) =>
          x.path.endsWith('cfg001fc1000099.xml'),
        ),
      );
      expect(row.outcome).toBe('not_found');
      expect(row.reason).toBe('render_failed');
    } finally {
      await d.stop();
    }
  });
});

describe('secret files of these vendors under secret_files: user-agent', () => {
  it('serves a device file only when the User-Agent MAC matches, with the same 404 otherwise', async () => {
    const d = await startDaemon({ extraConfig: ['security:', '  secret_files: user-agent'].join('\n') });
    try {
      const other = await curl(['-A', 'Fanvil X6 2.6.0.6248 0c383e000002', `${d.base}/0c383e557eb1.cfg`]);
      const missing = await curl(['-A', 'Fanvil X6 2.6.0.6248 0c383e000002', `${d.base}/nothing.cfg`]);
      expect(other.status).toBe(404);
      expect(other.body.equals(missing.body)).toBe(true);
      const snomOther = 'Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 x 000413000002 SXM:0 UXM:0)';
      expect((await curl(['-A', snomOther, `${d.base}/000413922D24.xml`])).status).toBe(404);
      expect((await curl(['-A', 'Cisco-CP-7841-3PCC/12.0.7 (00562b000002)', `${d.base}/00562b043615.xml`])).status).toBe(404);
      // The right phone, and the shared files for anyone.
      expect((await curl(['-A', 'Htek UC903 2.0.4.2 00:1f:c1:1c:22:a9', `${d.base}/cfg001fc11c22a9.xml`])).status).toBe(200);
      expect((await curl(['-A', snomOther, `${d.base}/snomD785.htm`])).status).toBe(200);
    } finally {
      await d.stop();
    }
  });
});
