/**
 * The Cisco (MPP, SPA, enterprise), Fanvil, Snom and Htek modules as data: model tables and
 * their aliases, file-name rules, OUIs, provisioning URLs and NOTIFY events; and bad input:
 * unknown models, more accounts than lines, empty required fields, and accounts Htek's one
 * server profile cannot hold, each an error naming the device.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildInventory } from '../../src/inventory/load.js';
import { formatProblem } from '../../src/inventory/loaded.js';
import type { Inventory, ResolvedDevice } from '../../src/inventory/types.js';
import { buildCatalog } from '../../src/render/catalog.js';
import { deviceContext } from '../../src/render/context.js';
import { createTemplateEngine } from '../../src/render/engine.js';
import { ciscoLines } from '../../src/vendors/cisco-flat.js';
import { htekAccountKeys } from '../../src/vendors/htek-models.js';
import { createVendorRegistry } from '../../src/vendors/index.js';
import { lineSlots } from '../../src/vendors/kit.js';
import type { ServerInfo } from '../../src/render/context.js';
import { account, CASES, device, mac, server } from './cisco-others-fixtures.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const registry = createVendorRegistry();
const engine = createTemplateEngine({ shipped: join(repo, 'templates'), override: join(repo, 'nope') });
const MINE = ['cisco-mpp', 'cisco-spa', 'cisco-enterprise', 'fanvil', 'snom', 'htek'] as const;
const vendor = (id: string) => registry.get(id)!;
const pbx = { host: 'pbx.example.lan', text: 'pbx.example.lan' };

async function catalogOf(...devices: ResolvedDevice[]) {
  const inventory: Inventory = { devices: new Map(devices.map((d) => [d.mac, d])), profiles: new Map(), sites: new Map(), defaults: {}, files: [] };
  return buildCatalog({ inventory, registry, engine, server, now: 0 });
}

function loadProblems(yaml: readonly string[]): string[] {
  const result = buildInventory([{ file: 'd.yaml', text: `${yaml.join('\n')}\n` }], registry);
  if (result.ok) throw new Error('expected the load to fail');
  return result.problems.filter((p) => p.severity === 'error').map(formatProblem);
}

describe('model tables', () => {
  it.each([
    ['7841', 'cisco-mpp', 'CP-7841-3PCC', 4],
    ['cp-7861-3pcc', 'cisco-mpp', 'CP-7861-3PCC', 16],
    ['8851-3PCC', 'cisco-mpp', 'CP-8851-3PCC', 10],
    ['SPA-504G', 'cisco-spa', 'SPA504G', 4],
    ['spa525g2', 'cisco-spa', 'SPA525G2', 5],
    ['7941', 'cisco-enterprise', 'CP-7941G', 2],
    ['CP-8961', 'cisco-enterprise', 'CP-8961', 5],
    ['X6U Pro', 'fanvil', 'X6U', 20],
    ['x3s', 'fanvil', 'X3S', 2],
    ['snomD785', 'snom', 'D785', 12],
    ['320', 'snom', '320', 12],
    ['UC926E', 'htek', 'UC926', 16],
    ['uc903', 'htek', 'UC903', 6],
  ])('%s is %s %s with %d line(s)', (name, vendorId, canonical, lines) => {
    const found = registry.modelsNamed(name);
    expect(found.map((m) => [m.vendor.id, m.model.name, m.model.accounts])).toEqual([[vendorId, canonical, lines]]);
  });

  it('never lets two vendors claim one model spelling (a device then needs no vendor:)', () => {
    const owners = new Map<string, string>();
    for (const v of registry.all()) {
      for (const m of v.models) {
        for (const key of new Set([m.name, ...m.aliases].map((k) => k.toLowerCase()))) {
          expect(owners.get(key), `${key}: ${owners.get(key)} and ${v.id}`).toBeUndefined();
          owners.set(key, v.id);
        }
      }
    }
  });

  it('numbers Htek accounts 1-6 by table and 7-16 by stride', () => {
    expect(htekAccountKeys(1)).toMatchObject({ active: 271, user: 35, auth_id: 36, password: 34, display_name: 3 });
    expect(htekAccountKeys(2)).toMatchObject({ active: 401, user: 735, password: 734 });
    expect(htekAccountKeys(6)).toMatchObject({ active: 20361, user: 1804 });
    expect(htekAccountKeys(7)).toMatchObject({ active: 24090, user: 24110, password: 24130 });
    expect(htekAccountKeys(16)).toMatchObject({ active: 24099, user: 24119, password: 24139 });
    expect(() => htekAccountKeys(17)).toThrow(/1-16/);
  });
});

describe('file names, OUIs, URLs and NOTIFY events', () => {
  it('finds the MAC in each vendor\'s names in either case, and never in a zero MAC or a model file', () => {
    const m = mac('00:1f:c1:1c:22:a9');
    expect(vendor('cisco-mpp').macInName('001FC11C22A9.xml')).toBe(m);
    expect(vendor('cisco-spa').macInName('001fc11c22a9.xml')).toBe(m);
    expect(vendor('cisco-enterprise').macInName('SEP001FC11C22A9.cnf.xml')).toBe(m);
    expect(vendor('cisco-enterprise').macInName('ITLSEP001FC11C22A9.tlv')).toBe(m);
    expect(vendor('fanvil').macInName('001fc11c22a9.cfg')).toBe(m);
    expect(vendor('snom').macInName('snomD785-001FC11C22A9.htm')).toBe(m);
    expect(vendor('snom').macInName('001FC11C22A9.xml')).toBe(m);
    expect(vendor('htek').macInName('cfg001fc11c22a9.xml')).toBe(m);
    for (const id of MINE) {
      for (const name of ['000000000000.cfg', '000000000000.xml', 'cfg0016.xml', '7841-3PCC.xml', 'spa504G.cfg', 'XMLDefault.cnf.xml', 'snomD785.htm', 'F0V00X600000.cfg']) {
        expect(vendor(id).macInName(name), `${id} ${name}`).toBeUndefined();
      }
    }
  });

  it('classifies MACs by the OUIs of vendors.md §10.1', () => {
    expect(registry.byMac(mac('0c383e000001'))?.id).toBe('fanvil');
    expect(registry.byMac(mac('00a859000001'))?.id).toBe('fanvil');
    expect(registry.byMac(mac('001fc1000001'))?.id).toBe('htek');
    expect(registry.byMac(mac('000413000001'))?.id).toBe('snom');
    expect(registry.byMac(mac('503de5000001'))?.id).toBe('cisco-spa');
    expect(registry.byMac(mac('d0ec35000001'))?.id).toBe('cisco-mpp');
  });

  it('hands each vendor the URL its phones expect, only for the schemes the daemon serves', () => {
    const s: ServerInfo = { ...server, http_url: 'http://10.0.0.2:8080/', tftp_url: 'tftp://10.0.0.2' };
    expect(vendor('cisco-mpp').provisioningUrl(s, 'http')).toBe('http://10.0.0.2:8080/$PSN.xml');
    expect(vendor('cisco-spa').provisioningUrl(s, 'tftp')).toBe('tftp://10.0.0.2/spa$PSN.cfg');
    expect(vendor('cisco-enterprise').provisioningUrl(s, 'http')).toBeUndefined();
    expect(vendor('cisco-enterprise').provisioningUrl(s, 'tftp')).toBe('tftp://10.0.0.2/');
    expect(vendor('fanvil').provisioningUrl(s, 'http')).toBe('http://10.0.0.2:8080/Fanvil/$mac.cfg');
    expect(vendor('snom').provisioningUrl(s, 'http')).toBe('http://10.0.0.2:8080/');
    expect(vendor('htek').provisioningUrl(s, 'https')).toBeUndefined();
  });

  it('names the NOTIFY events of vendors.md §1.4', () => {
    expect(vendor('cisco-mpp').notify).toEqual({ resync: 'resync', reboot: 'reboot_now' });
    expect(vendor('snom').notify).toEqual({ resync: 'check-sync;reboot=false', reboot: 'check-sync;reboot=true' });
    expect(vendor('fanvil').notify).toEqual({ resync: 'check-sync', reboot: 'check-sync;reboot=true' });
    expect(vendor('htek').notify).toEqual({ resync: 'resync', reboot: 'check-sync;reboot=true' });
  });

  it('marks exactly the per-device files holding passwords as secret', () => {
    for (const [, d] of CASES) {
      for (const spec of vendor(d.vendor).deviceFiles(d)) {
        const text = engine.render(spec.template, deviceContext(d, spec, server)).toString();
        const holdsPassword = /authPassword|Password_\d|user_pass|Register_Pswd|AuthenticatePassword/.test(text);
        expect(spec.secret, spec.name).toBe(holdsPassword);
      }
    }
  });
});

describe('Cisco line mapping', () => {
  it('maps transport, DNS SRV and SRTP per line and disables unused lines', () => {
    const d = device({
      mac: mac('00562b000010'), vendor: 'cisco-mpp', model: 'CP-7821-3PCC',
      accounts: [account({ line: 2, user: '2', registrar: { host: 'a.example', port: 5070, text: 'a.example:5070' }, transport: 'dns-srv', srtp: 'optional' })],
    });
    const lines = ciscoLines(lineSlots(d, vendor('cisco-mpp').findModel('7821')!));
    expect(lines.map((l) => [l.n, l.enabled, l.proxy, l.transport, l.dns_srv, l.secure_call])).toEqual([
      [1, false, '', 'UDP', 'No', 'No'],
      [2, true, 'a.example:5070', 'AUTO', 'Yes', 'Yes'],
    ]);
  });
});

describe('every line a model has', () => {
  it('writes all 16 lines of a CP-7861-3PCC and all 16 accounts of a UC926', async () => {
    const sixteen = Array.from({ length: 16 }, (_, i) => account({ line: i + 1, user: `${100 + i}`, registrar: pbx }));
    const cisco = device({ mac: mac('00562b000016'), vendor: 'cisco-mpp', model: '7861', accounts: sixteen });
    const htek = device({ mac: mac('001fc1000016'), vendor: 'htek', model: 'UC926', accounts: sixteen });
    const cat = await catalogOf(cisco, htek);
    expect(cat.problems).toEqual([]);
    const flat = cat.lookup('00562b000016.xml')!.file!.body.toString();
    expect(flat.match(/<Line_Enable_\d+_ ua="na">Yes</g)).toHaveLength(16);
    expect(flat).toContain('<User_ID_16_ ua="na">115</User_ID_16_>');
    const hl = cat.lookup('cfg001fc1000016.xml')!.file!.body.toString();
    expect(hl.match(/para="Account\d+_Active">1</g)).toHaveLength(16);
    expect(hl).toContain('<P24119 para="Account16_SipUserId">115</P24119>');
  });

  it('builds the same catalog bytes twice for every file of these vendors', async () => {
    const devices = CASES.map(([, d]) => d);
    const [a, b] = [await catalogOf(...devices), await catalogOf(...devices)];
    const digests = (c: typeof a) => [...c.entries()].filter((e) => (MINE as readonly string[]).includes(e.vendor)).map((e) => `${e.name} ${e.file?.md5}`);
    expect(digests(a).length).toBeGreaterThan(100);
    expect(digests(b)).toEqual(digests(a));
  });
});

describe('bad input', () => {
  it('check lists the known models of the vendor for an unknown one', () => {
    const out = loadProblems(['devices:', '  - mac: "00:56:2b:00:00:01"', '    vendor: cisco-mpp', '    model: CP-9999-3PCC', '    accounts: [{ user: "1", password: "p", registrar: pbx.lan }]']);
    expect(out[0]).toMatch(/^d\.yaml:4:12: error: device 00:56:2b:00:00:01: unknown Cisco MPP model "CP-9999-3PCC" \(known: CP-6821-3PCC, .*CP-7841-3PCC, .*CP-8865-3PCC\)$/);
    const snom = loadProblems(['devices:', '  - mac: "00:04:13:00:00:01"', '    vendor: snom', '    model: D999', '    accounts: [{ user: "1", password: "p", registrar: pbx.lan }]']);
    expect(snom[0]).toMatch(/unknown Snom model "D999" \(known: D120, .*D785, .*870\)$/);
  });

  it('check refuses more accounts than the model has lines, naming the device', () => {
    const out = loadProblems([
      'devices:',
      '  - mac: "00:1f:c1:00:00:01"',
      '    model: UC902',
      '    accounts:',
      ...[1, 2, 3, 4, 5].map((n) => `      - { user: "${n}", password: "p", registrar: pbx.lan }`),
    ]);
    expect(out).toEqual([expect.stringMatching(/^d\.yaml:9:9: error: device 00:1f:c1:00:00:01: account line 5 is above the 4 account lines a (Htek )?UC902 has$/)]);
  });

  it('check names the field and device when a profile leaves a required account field empty', () => {
    const out = loadProblems([
      'profiles:',
      '  bare:',
      '    account: { transport: tls }',
      'devices:',
      '  - mac: "0c:38:3e:00:00:01"',
      '    model: X6',
      '    profile: bare',
      '    accounts: [{ user: "1", password: "p" }]',
    ]);
    expect(out).toEqual([expect.stringMatching(/device 0c:38:3e:00:00:01: account line 1 has no registrar \(set it on the account or in profile "bare"\)/)]);
  });

  it('a device built past the loader with too many lines or an empty field gets no file, and the reason', async () => {
    const tooMany = device({ mac: mac('00562b000020'), vendor: 'cisco-mpp', model: 'CP-7811-3PCC', accounts: [account({ line: 1, user: '1', registrar: pbx }), account({ line: 2, user: '2', registrar: pbx })] });
    const empty = device({ mac: mac('000413000020'), vendor: 'snom', model: 'D785', accounts: [account({ line: 1, user: '1', password: '', registrar: pbx })] });
    const cat = await catalogOf(tooMany, empty);
    const mpp = cat.lookup('00562b000020.xml');
    expect(mpp?.file).toBeUndefined();
    expect(mpp?.error).toBe('device 00562b000020: account line 2 is above the 1 account lines a CP-7811-3PCC has');
    const snomFile = cat.lookup('000413000020.xml');
    expect(snomFile?.file).toBeUndefined();
    expect(snomFile?.error).toBe('device 000413000020: account line 1 has an empty password');
    // The device's list file carries no account data and still renders.
    expect(cat.lookup('snomD785-000413000020.htm')?.file).toBeDefined();
    expect(cat.problems.map((p) => p.name)).toEqual(['00562b000020.xml', '000413000020.xml']);
  });

  it('Htek: accounts that need different servers are an error naming the device, not a file for the first', async () => {
    const d = device({
      mac: mac('001fc1000030'), vendor: 'htek', model: 'UC926',
      accounts: [account({ line: 1, user: '1', registrar: pbx }), account({ line: 2, user: '2', registrar: { host: 'other.lan', text: 'other.lan' } })],
    });
    const entry = (await catalogOf(d)).lookup('cfg001fc1000030.xml');
    expect(entry?.file).toBeUndefined();
    expect(entry?.error).toMatch(/^device 001fc1000030: account line 2 needs another server, proxy, transport or SRTP than line 1/);
  });

  it('refuses a bad value of a vendor variable, naming it', () => {
    expect(vendor('cisco-mpp').varProblems({ cisco_server_url: 'prov.lan', cisco_resync_seconds: -1 })).toEqual([
      'cisco_server_url must be a tftp/ftp/http(s) URL without spaces, got "prov.lan"',
      'cisco_resync_seconds must be a whole number of seconds (0-2592000), got -1',
    ]);
    expect(vendor('snom').varProblems({ snom_server_url: 'http://x/\nfoo' })).toHaveLength(1);
    expect(vendor('htek').varProblems({ ntp_server: 'pool.ntp.org', yealink_time_zone: 'ignored' })).toEqual([]);
  });
});
