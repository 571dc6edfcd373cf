/**
 * The Grandstream seed's device, loaded from the example inventory and rendered through the
 * shipped templates, against the seed's own "Zoom IOT Provisioning Template - 2 Accounts"
 * (test/fixtures/grandstream, copied from seed 000 as printed, page break and stray line
 * numbers included). Both are parsed into P-value maps and compared value for value, after the
 * template's placeholders (server address, redacted account data) are replaced by the device's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMac, type Mac } from '../../src/core/mac.js';
import { loadCheckedInventory } from '../../src/inventory/checked.js';
import { deviceContext, type ServerInfo } from '../../src/render/context.js';
import { createTemplateEngine } from '../../src/render/engine.js';
import { grandstream } from '../../src/vendors/grandstream.js';
import { createVendorRegistry } from '../../src/vendors/index.js';

const repo = join(import.meta.dirname, '..', '..');
const engine = createTemplateEngine({ shipped: join(repo, 'templates'), override: join(repo, 'test', 'fixtures', 'none') });
const SEED_MAC = parseMac('c0:74:ad:65:6e:2c') as Mac;

// The seed's server: http://172.XX.XX.XXX:90/Folder Path, with a made-up address for the XX.
const server: ServerInfo = {
  host: '172.16.31.10',
  http_url: 'http://172.16.31.10:90/Folder Path/',
  https_url: null,
  tftp_url: null,
  ftp_url: null,
  provisioning_url: 'http://172.16.31.10:90/Folder Path/',
};

/** `<Pnnn>value</Pnnn>` pairs of a Grandstream XML file; text outside elements is ignored. */
export function pValues(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  const unescape = (s: string) =>
    s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');
  for (const m of xml.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<(P\d+)>([^<]*)<\/\1>/g)) {
    const [, key = '', value = ''] = m;
    if (out.has(key)) throw new Error(`${key} appears twice`);
    out.set(key, unescape(value).trim());
  }
  return out;
}

describe('Grandstream seed device (WP810, Zoom) against the seed template', () => {
  it('renders cfgc074ad656e2c.xml equal, value for value, to the seed template with its data', async () => {
    const loaded = await loadCheckedInventory(join(repo, 'config', 'inventory'), createVendorRegistry());
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const device = loaded.inventory.devices.get(SEED_MAC);
    expect(device).toMatchObject({ vendor: 'grandstream', model: 'WP810', profile: 'zoom' });
    const [spec] = grandstream.deviceFiles(device!);
    expect(spec?.name).toBe('cfgc074ad656e2c.xml');
    const rendered = pValues(engine.render(spec!.template, deviceContext(device!, spec!, server)).toString('utf8'));

    const account = device!.accounts[0]!;
    const seedText = readFileSync(join(repo, 'test', 'fixtures', 'grandstream', 'seed-zoom-iot-2-accounts.xml'), 'utf8');
    const expected = pValues(seedText.replaceAll('172.XX.XX.XXX', '172.16.31.10'));
    // The seed redacts the account data; put in this device's (the seed's UI shows 3223 / 343).
    expect(expected.get('P35')).toMatch(/^3223.*634$/);
    expected.set('P35', account.user);
    expect(expected.get('P36')).toMatch(/^343/);
    expected.set('P36', account.auth_id);
    expected.set('P34', account.password);
    expect(expected.size).toBe(28);

    expect(Object.fromEntries(rendered)).toEqual(Object.fromEntries(expected));
    // Spot checks of what the comparison relies on: minutes, the MAC-derived name, Zoom's 137.
    expect(rendered.get('P32')).toBe('60');
    expect(rendered.get('P270')).toBe('6E2C');
    expect(rendered.get('P198')).toBe('137');
    expect(rendered.get('P237')).toBe('http://172.16.31.10:90/Folder Path');
  });
});
