import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMac } from '../../src/core/mac.js';
import type { Mac } from '../../src/core/mac.js';
import { buildInventory, loadInventory } from '../../src/inventory/load.js';
import { formatProblem } from '../../src/inventory/loaded.js';
import type { LoadedInventory, LoadResult } from '../../src/inventory/loaded.js';
import type { ResolvedDevice } from '../../src/inventory/types.js';
import { createVendorRegistry } from '../../src/vendors/index.js';

const registry = createVendorRegistry();
const EXAMPLE = join(import.meta.dirname, '../../config/inventory');
const MULTI = join(import.meta.dirname, '../fixtures/inventory/multi');
const DUPLICATES = join(import.meta.dirname, '../fixtures/inventory/duplicates');

function ok(result: LoadResult): LoadedInventory {
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  return result.inventory;
}

function device(inv: LoadedInventory, mac: string): ResolvedDevice {
  const d = inv.devices.get(parseMac(mac) as Mac);
  if (!d) throw new Error(`no device ${mac}`);
  return d;
}

describe('the example inventory', () => {
  it('loads without problems and resolves the three demo phones', async () => {
    const result = await loadInventory(EXAMPLE, registry);
    const inv = ok(result);
    expect(result.ok && result.warnings).toEqual([]);
    // Other example files (devices-<vendor>.yaml) sort after devices.yaml; these three come first.
    expect(inv.files.filter((f) => ['devices.yaml', 'profiles.yaml', 'sites.yaml'].some((n) => f === join(EXAMPLE, n)))).toEqual(
      ['devices.yaml', 'profiles.yaml', 'sites.yaml'].map((f) => join(EXAMPLE, f)),
    );
    expect([...inv.profiles.keys()].filter((n) => ['zoom', 'welink', 'pbx'].includes(n))).toEqual(['zoom', 'welink', 'pbx']);
    expect([...inv.sites.keys()]).toEqual(['hq', 'lab']);
    expect([...inv.devices.keys()].filter((m) => ['805ec0d57d72', '249ad8102030', '44dbd2aabb01'].includes(m))).toEqual([
      '805ec0d57d72',
      '249ad8102030',
      '44dbd2aabb01',
    ]);

    const zoom = device(inv, '80:5e:c0:d5:7d:72');
    expect(zoom).toMatchObject({ vendor: 'yealink', model: 'T46U', pn: 'T46U', site: 'hq', profile: 'zoom', labels: ['reception'] });
    expect(zoom.source).toEqual({ file: join(EXAMPLE, 'devices.yaml'), line: 5 });
    expect(zoom.accounts).toEqual([
      {
        line: 1,
        user: '3223',
        auth_id: '343',
        password: 'demo-zoom-1',
        display_name: 'Reception',
        label: '8028',
        registrar: { host: '7000766863.zoom.us', text: '7000766863.zoom.us' },
        outbound_proxy: { host: 'us01sip0h.sc.zoom.us', port: 5091, text: 'us01sip0h.sc.zoom.us:5091' },
        transport: 'tls',
        srtp: 'required',
        expires: 3600,
        dns_mode: 'srv',
        dns_failover: 'saved_until_no_response',
        session_timer: true,
        vars: {},
      },
      expect.objectContaining({ line: 2, user: '3224', auth_id: '344', display_name: '8029', label: '8029' }),
    ]);
    expect(zoom.vars).toEqual({
      ntp_server: 'pool.ntp.org',
      yealink_time_zone: '+1',
      yealink_time_zone_name: 'Germany(Berlin)',
      grandstream_special_feature: 137,
    });

    const welink = device(inv, '249ad8102030');
    expect(welink.model).toBe('T54W'); // written SIP-T54W
    expect(welink.accounts[0]).toMatchObject({
      user: '+99111600000001@huaweicloud.com',
      auth_id: '+99111600000001@huaweicloud.com',
      registrar: { host: 'huaweicloud.com', text: 'huaweicloud.com' },
      outbound_proxy: { host: 'sip2-ec.huaweicloud.com', port: 5061, text: 'sip2-ec.huaweicloud.com:5061' },
      transport: 'tls',
    });

    const pbx = device(inv, '44-db-d2-aa-bb-01');
    expect(pbx).toMatchObject({ model: 'T21P_E2', site: 'lab', profile: 'pbx' });
    expect(pbx.accounts[0]).toMatchObject({ registrar: { host: 'pbx.example.lan' }, transport: 'udp', srtp: 'off', auth_id: '201' });
  });

  it('is immutable once loaded', async () => {
    const inv = ok(await loadInventory(EXAMPLE, registry));
    const d = device(inv, '805ec0d57d72');
    expect(Object.isFrozen(d)).toBe(true);
    expect(Object.isFrozen(d.accounts[0])).toBe(true);
    expect(Object.isFrozen(d.vars)).toBe(true);
    expect(() => {
      (d.labels as string[]).push('x');
    }).toThrow(TypeError);
  });
});

describe('a folder of files', () => {
  let inv: LoadedInventory;
  beforeAll(async () => {
    inv = ok(await loadInventory(MULTI, registry));
  });

  it('merges *.yaml and *.yml in name order and ignores hidden and other files', () => {
    expect(inv.files).toEqual(['10-sites.yaml', '20-profiles.yaml', '30-devices.yaml', '31-more-devices.yml'].map((f) => join(MULTI, f)));
    expect([...inv.devices.keys()]).toEqual(['001565000001', '001565000002', '001565000003', '001565000004', '001565000005']);
    expect(device(inv, '001565000004').source).toEqual({ file: join(MULTI, '31-more-devices.yml'), line: 2 });
  });

  it('selects the most specific matching profile, ties by name, an explicit profile first', () => {
    const profile = (mac: string): string | undefined => device(inv, mac).profile;
    expect(profile('001565000001')).toBe('pbx'); // only `match: {}` fits
    expect(profile('001565000002')).toBe('branch-pbx'); // site
    expect(profile('001565000003')).toBe('branch-t46'); // site + model (alias in the rule)
    expect(profile('001565000004')).toBe('a-reception'); // site + labels, tie with b-reception
    expect(profile('001565000005')).toBe('pbx'); // named
  });

  it('merges variables defaults < site < profile < device, objects deep and lists replaced', () => {
    expect(device(inv, '001565000001').vars).toEqual({
      ntp_server: 'pool.ntp.org',
      phonebook: { url: 'http://pb.example.lan/hq.xml', refresh: 30 },
      codecs: ['opus', 'g722', 'pcmu'],
      yealink_time_zone: '+1',
    });
    expect(device(inv, '001565000003').vars).toEqual({
      ntp_server: 'ntp.branch.example.lan',
      phonebook: { url: 'http://pb.example.lan/a.xml', refresh: 60 },
      codecs: ['g722'],
    });
    expect(inv.defaults).toEqual({
      ntp_server: 'pool.ntp.org',
      phonebook: { url: 'http://pb.example.lan/a.xml', refresh: 60 },
      codecs: ['opus', 'g722', 'pcmu'],
    });
  });

  it('merges account settings profile < account and sorts accounts by line', () => {
    const d2 = device(inv, '001565000002');
    expect(d2.accounts.map((a) => [a.line, a.user])).toEqual([
      [1, '200'],
      [2, '201'],
    ]);
    expect(d2.accounts[0]?.registrar).toEqual({ host: '[2001:db8::5]', port: 5062, text: '[2001:db8::5]:5062' });
    expect(d2.accounts[0]?.outbound_proxy).toEqual({ host: '[::1]', text: '[::1]' });
    expect(d2.accounts[0]?.transport).toBe('tcp');
    expect(d2.accounts[1]?.outbound_proxy).toBeUndefined();
    const d5 = device(inv, '001565000005');
    expect(d5.pn).toBe('T46U-lab');
    expect(d5.accounts[0]?.registrar).toEqual({ host: 'override.example.lan', port: 5070, text: 'override.example.lan:5070' });
  });

  it('keeps per-device HTTP credentials on the devices that set them', () => {
    const withAuth = [...inv.devices.values()].filter((d) => d.auth).map((d) => [d.mac, d.auth]);
    expect(withAuth).toEqual([['001565000005', { user: 't46u-5', password: 'web-secret' }]]);
  });

  it('loads the same bytes into the same inventory', async () => {
    const again = ok(await loadInventory(MULTI, registry));
    const dump = (i: LoadedInventory): string => JSON.stringify([...i.devices.entries()]);
    expect(dump(again)).toBe(dump(inv));
  });
});

describe('load outcomes', () => {
  it('reports a name and a MAC defined in two files at both places, and applies nothing', async () => {
    const result = await loadInventory(DUPLICATES, registry);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const b = join(DUPLICATES, 'b.yaml');
    const a = join(DUPLICATES, 'a.yaml');
    expect(result.problems.map(formatProblem)).toEqual([
      `${b}:3:3: error: site "hq" is defined twice: ${a}:2 and ${b}:3`,
      `${b}:6:10: error: MAC 80:5e:c0:00:00:01 is defined twice: ${a}:4 and ${b}:6`,
    ]);
  });

  it('loads a single file, with a BOM, and warns about devices without accounts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'provd-inv-'));
    try {
      const file = join(dir, 'inventory.yaml');
      await writeFile(file, '\uFEFFdevices:\n  - mac: "00:15:65:00:00:09"\n    model: T23G\n');
      const result = await loadInventory(file, registry);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.inventory.files).toEqual([file]);
      expect(result.warnings.map(formatProblem)).toEqual([`${file}:2:5: warning: device 00:15:65:00:00:09 has no account lines`]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails on a missing path and warns on an empty folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'provd-inv-'));
    try {
      const missing = await loadInventory(join(dir, 'nope'), registry);
      expect(missing).toEqual({
        ok: false,
        problems: [{ file: join(dir, 'nope'), message: 'cannot read the inventory (ENOENT)', severity: 'error' }],
      });
      const empty = await loadInventory(dir, registry);
      expect(empty.ok && empty.warnings.map(formatProblem)).toEqual([`${dir}: warning: no *.yaml or *.yml files in the inventory folder`]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('large inventories', () => {
  const sources: { file: string; text: string }[] = [];
  beforeAll(() => {
    const lines = ['devices:'];
    for (let i = 0; i < 10_000; i++) {
      const mac = (0x805ec0000000 + i).toString(16);
      lines.push(
        `  - mac: "${mac}"`,
        '    model: T46U',
        '    site: hq',
        '    accounts:',
        `      - { user: "${1000 + i}", auth_id: "a${i}", password: "p${i}", registrar: 7000766863.zoom.us, outbound_proxy: us01sip0h.sc.zoom.us:5091 }`,
      );
    }
    sources.push(
      { file: 'profiles.yaml', text: 'sites:\n  hq: {}\nprofiles:\n  zoom:\n    match: { site: hq }\n    account: { transport: tls, srtp: required }\n' },
      { file: 'devices.yaml', text: `${lines.join('\n')}\n` },
    );
  });
  afterAll(() => {
    sources.length = 0;
  });

  it('loads 10,000 devices', () => {
    // Load time is measured in bench/, not asserted here (timed assertions are flaky on shared machines).
    const result: LoadResult = buildInventory(sources, registry);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.inventory.devices.size).toBe(10_000);
    expect(device(result.inventory, '805ec000270f').accounts[0]).toMatchObject({ user: '10999', transport: 'tls' });
  });
});
