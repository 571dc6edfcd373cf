/**
 * Real User-Agents and request names (vendors.md §1.1, §1.2, §4.1) through the registry, the
 * identification step and the catalog rendered from the example inventory: each must resolve to
 * the right device and file, or to nothing where the phone is meant to fall back.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { identify } from '../../src/core/identify.js';
import { parseMac, type Mac } from '../../src/core/mac.js';
import { isRejected, parseRequestPath, type SafePath } from '../../src/core/safe-path.js';
import { loadCheckedInventory } from '../../src/inventory/checked.js';
import { buildCatalog, type Catalog } from '../../src/render/catalog.js';
import { createTemplateEngine } from '../../src/render/engine.js';
import { createVendorRegistry } from '../../src/vendors/index.js';
import { REPO } from './golden-check.js';
import { SERVER } from './vendor-fixtures.js';

const registry = createVendorRegistry();
let catalog: Catalog;

beforeAll(async () => {
  const loaded = await loadCheckedInventory(join(REPO, 'config', 'inventory'), registry);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const engine = createTemplateEngine({ shipped: join(REPO, 'templates'), override: join(REPO, 'nope') });
  catalog = await buildCatalog({ inventory: loaded.inventory, registry, engine, server: SERVER, now: 0 });
  expect(catalog.problems).toEqual([]);
});

function path(p: string): SafePath {
  const parsed = parseRequestPath(p);
  if (isRejected(parsed)) throw new Error(p);
  return parsed;
}

describe('User-Agents from vendors.md', () => {
  it.each([
    ['Grandstream Model HW GXP2135 SW 1.0.7.97 DevId 000b828aa872', 'grandstream', 'GXP2135', '1.0.7.97', '000b828aa872'],
    ['Grandstream Model HW GXV3350  V1.3A SW 1.0.1.8 DevId c074ad150b88', 'grandstream', 'GXV3350', '1.0.1.8', 'c074ad150b88'],
    ['Grandstream GXP2000 (gxp2000e.bin:1.2.5.3/boot55e.bin:1.1.6.9) DevId 000b822726c8', 'grandstream', 'GXP2000', '1.2.5.3', '000b822726c8'],
    ['Grandstream Model HW WP810 SW 1.0.11.16 DevId c074ad656e2c', 'grandstream', 'WP810', '1.0.11.16', 'c074ad656e2c'],
    ['FileTransport PolycomVVX-VVX_400-UA/4.1.4.7430 Type/Application', 'polycom', 'VVX400', '4.1.4.7430', undefined],
    ['FileTransport PolycomSoundStationIP-SSIP_6000-UA/5.0.3.1667 Type/Updater', 'polycom', 'SSIP_6000', '5.0.3.1667', undefined],
    ['FileTransport PolycomVVX-VVX_450-UA/6.4.6.2522 Type/Application', 'polycom', 'VVX450', '6.4.6.2522', undefined],
  ])('%s', (ua, vendor, model, version, mac) => {
    expect(registry.parseUserAgent(ua)).toEqual({ vendor, model, version, ...(mac ? { mac } : {}) });
  });

  it('leaves other vendors alone', () => {
    for (const ua of ['Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37', 'Cisco-CP-7832-3PCC/11.0.1 (00562b043615)', 'curl/8.0']) {
      const info = registry.parseUserAgent(ua);
      expect(info?.vendor === 'grandstream' || info?.vendor === 'polycom').toBe(false);
    }
  });
});

const WP810 = 'c074ad656e2c';
const WP810_UA = 'Grandstream Model HW WP810 SW 1.0.11.16 DevId c074ad656e2c';
const VVX = '0004f2a1b2c3';
const VVX_UA = 'FileTransport PolycomVVX-VVX_450-UA/6.4.6.2522 Type/Application';

describe('request names resolve to the right device and file', () => {
  it.each([
    // Grandstream: MAC XML (the device's), legacy binary names (no file: the phone moves on),
    // then model-wide and generic XML; an unknown phone is identified but owns no file.
    [WP810_UA, `/cfg${WP810}.xml`, WP810, `cfg${WP810}.xml`, WP810],
    [WP810_UA, `/cfg${WP810}`, WP810, undefined, undefined],
    [WP810_UA, `/cfg${WP810}.bin`, WP810, undefined, undefined],
    [WP810_UA, '/cfgwp810.xml', WP810, 'cfgwp810.xml', undefined],
    [WP810_UA, '/cfg.xml', WP810, 'cfg.xml', undefined],
    [WP810_UA, `/Grandstream/CFG${WP810.toUpperCase()}.XML`, WP810, `cfg${WP810}.xml`, WP810],
    ['Grandstream Model HW GXP2135 SW 1.0.7.97 DevId 000b828aa872', '/cfg000b828aa872.xml', '000b828aa872', undefined, undefined],
    // Polycom: <mac>.cfg (none unless the device needs its own), master, the per-phone file the
    // master names, the phone's uploads (not generated: served back from the upload store).
    [VVX_UA, `/${VVX}.cfg`, VVX, undefined, undefined],
    [VVX_UA, '/000000000000.cfg', undefined, '000000000000.cfg', undefined],
    [VVX_UA, `/${VVX}-reg.cfg`, VVX, `${VVX}-reg.cfg`, VVX],
    [VVX_UA, `/${VVX.toUpperCase()}-reg.cfg`, VVX, `${VVX}-reg.cfg`, VVX],
    [VVX_UA, `/${VVX}-phone.cfg`, VVX, undefined, undefined],
    [VVX_UA, `/${VVX}-directory.xml`, VVX, undefined, undefined],
    [VVX_UA, `/${VVX}-license.cfg`, VVX, undefined, undefined],
  ])('%s %s', (ua, p, identified, file, owner) => {
    const sp = path(p);
    const id = identify(registry, { path: sp, userAgent: ua, peerAddress: '192.0.2.10' });
    expect(id.mac).toBe(identified === undefined ? undefined : (parseMac(identified) as Mac));
    const entry = catalog.lookup(sp.basename);
    expect(entry?.name).toBe(file);
    expect(entry?.mac).toBe(owner);
    if (entry) expect(entry.file, entry.error).toBeDefined();
  });

  it('names the upload each Polycom request is, and none for Grandstream', () => {
    const upload = (n: string) => registry.all().map((v) => v.matchUpload(n)).find((u) => u !== undefined);
    expect(upload(`${VVX}-boot.log`)).toEqual({ mac: VVX, name: `${VVX}-boot.log`, mode: 'append' });
    expect(upload(`${VVX}-calls.xml`)).toEqual({ mac: VVX, name: `${VVX}-calls.xml`, mode: 'replace' });
    expect(upload(`cfg${WP810}.xml`)).toBeUndefined();
  });
});

describe('DHCP and NOTIFY seams', () => {
  it('classifies by OUI and hands out the served root as the provisioning URL', () => {
    expect(registry.byMac(parseMac('c0:74:ad:65:6e:2c') as Mac)?.id).toBe('grandstream');
    expect(registry.byMac(parseMac('00:0b:82:aa:bb:cc') as Mac)?.id).toBe('grandstream');
    expect(registry.byMac(parseMac('64:16:7f:0a:0b:0c') as Mac)?.id).toBe('polycom');
    const gs = registry.get('grandstream')!;
    const pc = registry.get('polycom')!;
    expect(gs.provisioningUrl(SERVER, 'https')).toBe('https://prov.example.net:8443');
    expect(gs.provisioningUrl(SERVER, 'ftp')).toBeUndefined();
    expect(pc.provisioningUrl(SERVER, 'http')).toBe('http://prov.example.net:8080/');
    expect(gs.notify).toEqual({ resync: 'resync', reboot: 'check-sync;reboot=true' });
    expect(pc.notify.resync).toBe('check-sync');
  });
});
