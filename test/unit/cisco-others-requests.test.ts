/**
 * Real User-Agents and request names from vendors.md §1.1/§1.2, run through the real registry,
 * `identify` and a catalog built from the fixture devices: each row must come out as the right
 * vendor, model and device, and name the right generated file (or none, for the 404 steps).
 */
import { describe, expect, it } from 'vitest';
import { identify } from '../../src/core/identify.js';
import type { Mac } from '../../src/core/mac.js';
import { isRejected, parseRequestPath } from '../../src/core/safe-path.js';
import type { Inventory } from '../../src/inventory/types.js';
import { buildCatalog, type Catalog } from '../../src/render/catalog.js';
import { createTemplateEngine } from '../../src/render/engine.js';
import { createVendorRegistry } from '../../src/vendors/index.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES, mac, server } from './cisco-others-fixtures.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const registry = createVendorRegistry();
const engine = createTemplateEngine({ shipped: join(repo, 'templates'), override: join(repo, 'nope') });

async function catalog(): Promise<Catalog> {
  const devices = new Map(CASES.map(([, d]) => [d.mac, d] as const));
  const inventory: Inventory = { devices, profiles: new Map(), sites: new Map(), defaults: {}, files: [] };
  return buildCatalog({ inventory, registry, engine, server, now: 0 });
}

interface Row {
  readonly ua: string | undefined;
  readonly path: string;
  /** Vendor and model the UA gives (undefined: the UA names none). */
  readonly vendor?: string;
  readonly model?: string;
  /** MAC the request is tied to (path first, then UA). */
  readonly mac?: string;
  /** Canonical name of the generated file served, or null for a 404 step. */
  readonly file: string | null;
  readonly secret?: boolean;
}

const MPP = 'Cisco-CP-7832-3PCC/11.0.1 (00562b043615)';
const SPA = 'Cisco/SPA508G-7.4.4 (0002FDFF2103)(CBT141400UK)';
const SNOM = 'Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 2010.12-00004-g9ba52f5 000413922D24 SXM:0 UXM:0)';
const FANVIL = 'Fanvil X5U-V2 2.12.16.17 0c383e557eb1';
const HTEK = 'Htek UC903 2.0.4.2 00:1f:c1:1c:22:a9';

const ROWS: readonly Row[] = [
  // Cisco MPP: $PSN.xml in both spellings, then $MA.xml.
  { ua: MPP, path: '/7832-3PCC.xml', vendor: 'cisco-mpp', model: 'CP-7832-3PCC', mac: '00562b043615', file: '7832-3PCC.xml', secret: false },
  { ua: MPP, path: '/7832.xml', vendor: 'cisco-mpp', model: 'CP-7832-3PCC', mac: '00562b043615', file: '7832.xml', secret: false },
  { ua: MPP, path: '/00562b043615.xml', vendor: 'cisco-mpp', model: 'CP-7832-3PCC', mac: '00562b043615', file: '00562b043615.xml', secret: true },
  { ua: MPP, path: '/00562B043615.xml', vendor: 'cisco-mpp', mac: '00562b043615', file: '00562b043615.xml', secret: true },
  { ua: 'Cisco-CP-8851-3PCC/12.0.7 (D0EC35AABB01)', path: '/8851-3PCC.xml', vendor: 'cisco-mpp', model: 'CP-8851-3PCC', mac: 'd0ec35aabb01', file: '8851-3PCC.xml' },
  // Cisco SPA: spa$PSN.cfg in any case, then $MA.xml.
  { ua: SPA, path: '/spa508G.cfg', vendor: 'cisco-spa', model: 'SPA508G', mac: '0002fdff2103', file: 'spa508G.cfg', secret: false },
  { ua: SPA, path: '/spa508g.cfg', vendor: 'cisco-spa', model: 'SPA508G', mac: '0002fdff2103', file: 'spa508G.cfg' },
  { ua: SPA, path: '/SPA508G.CFG', vendor: 'cisco-spa', model: 'SPA508G', mac: '0002fdff2103', file: 'spa508G.cfg' },
  { ua: SPA, path: '/0002fdff2103.xml', vendor: 'cisco-spa', model: 'SPA508G', mac: '0002fdff2103', file: '0002fdff2103.xml', secret: true },
  { ua: 'Cisco/SPA504G-7.6.2 (0002FD000001)(CBT1)', path: '/0002fd000001.xml', vendor: 'cisco-spa', model: 'SPA504G', mac: '0002fd000001', file: null },
  { ua: 'Cisco/SPA525G-7.4.7 (CBT141900G7)', path: '/spa525G.cfg', vendor: 'cisco-spa', model: 'SPA525G', file: 'spa525G.cfg' },
  { ua: 'Linksys/SPA-942-6.1.5(a) (88019FA42805)', path: '/spa942.cfg', vendor: 'cisco-spa', model: 'SPA-942', mac: '88019fa42805', file: null },
  // Cisco enterprise over TFTP (no UA): trust lists 404, SEP<MAC>.cnf.xml, XMLDefault.cnf.xml.
  { ua: undefined, path: '/CTLSEP001BD4C23A10.tlv', mac: '001bd4c23a10', file: null },
  { ua: undefined, path: '/ITLSEP001BD4C23A10.tlv', mac: '001bd4c23a10', file: null },
  { ua: undefined, path: '/SEP001BD4C23A10.cnf.xml', mac: '001bd4c23a10', file: 'SEP001BD4C23A10.cnf.xml', secret: true },
  { ua: undefined, path: '/SEP001bd4c23a10.cnf.xml', mac: '001bd4c23a10', file: 'SEP001BD4C23A10.cnf.xml', secret: true },
  { ua: undefined, path: '/XMLDefault.cnf.xml', file: 'XMLDefault.cnf.xml', secret: false },
  // Snom: upper-case MAC in names, any case accepted.
  { ua: SNOM, path: '/snomD785-000413922D24.htm', vendor: 'snom', model: 'D785', mac: '000413922d24', file: 'snomD785-000413922D24.htm', secret: false },
  { ua: SNOM, path: '/000413922D24.xml', vendor: 'snom', model: 'D785', mac: '000413922d24', file: '000413922D24.xml', secret: true },
  { ua: SNOM, path: '/000413922d24.xml', vendor: 'snom', model: 'D785', mac: '000413922d24', file: '000413922D24.xml', secret: true },
  { ua: SNOM, path: '/snomD785.htm', vendor: 'snom', model: 'D785', mac: '000413922d24', file: 'snomD785.htm', secret: false },
  { ua: SNOM, path: '/snomd785.xml', vendor: 'snom', model: 'D785', mac: '000413922d24', file: 'snomD785.xml', secret: false },
  { ua: 'Mozilla/4.0 (compatible; snom320-SIP 8.4.18 1.1.3-s)', path: '/snom320-000413AABBCC.htm', vendor: 'snom', model: '320', mac: '000413aabbcc', file: 'snom320-000413AABBCC.htm' },
  // Fanvil: model file, then <mac>.cfg, also under the Fanvil/ folder WZP points phones at.
  { ua: FANVIL, path: '/0c383e557eb1.cfg', vendor: 'fanvil', model: 'X5U', mac: '0c383e557eb1', file: '0c383e557eb1.cfg', secret: true },
  { ua: FANVIL, path: '/Fanvil/0c383e557eb1.cfg', vendor: 'fanvil', model: 'X5U', mac: '0c383e557eb1', file: '0c383e557eb1.cfg', secret: true },
  { ua: 'Fanvil X6U Pro 0.0.10 0c383e2cd782', path: '/0c383e2cd782.cfg', vendor: 'fanvil', model: 'X6U', mac: '0c383e2cd782', file: null },
  { ua: 'Fanvil X6 2.4.0 0c383e557eb1', path: '/F0V00X600000.cfg', vendor: 'fanvil', model: 'X6', mac: '0c383e557eb1', file: 'F0V00X600000.cfg', secret: false },
  // Htek: cfg00NN.xml, then cfg<mac>.xml.
  { ua: HTEK, path: '/cfg0016.xml', vendor: 'htek', model: 'UC903', mac: '001fc11c22a9', file: 'cfg0016.xml', secret: false },
  { ua: HTEK, path: '/cfg001fc11c22a9.xml', vendor: 'htek', model: 'UC903', mac: '001fc11c22a9', file: 'cfg001fc11c22a9.xml', secret: true },
  { ua: HTEK, path: '/cfg001FC11C22A9.xml', vendor: 'htek', model: 'UC903', mac: '001fc11c22a9', file: 'cfg001fc11c22a9.xml', secret: true },
];

describe('real User-Agents and request names resolve to the right device and file', () => {
  it.each(ROWS)('$ua $path', async (row) => {
    const cat = await catalog();
    const path = parseRequestPath(row.path);
    if (isRejected(path)) throw new Error(`rejected ${row.path}`);
    const id = identify(registry, { path, userAgent: row.ua, peerAddress: '192.0.2.10' });
    expect(id.uaVendor).toBe(row.vendor);
    if (row.model !== undefined) expect(id.uaModel).toBe(row.model);
    expect(id.mac).toBe(row.mac === undefined ? undefined : mac(row.mac));
    const entry = cat.lookup(path.basename);
    expect(entry?.name ?? null).toBe(row.file);
    if (entry && row.secret !== undefined) expect(entry.secret).toBe(row.secret);
    // A secret file belongs to the device the request names, so the policy can serve it.
    if (entry?.secret) expect(entry.mac).toBe(id.mac as Mac);
  });

  it('renders every fixture file without a problem', async () => {
    expect((await catalog()).problems).toEqual([]);
  });
});
