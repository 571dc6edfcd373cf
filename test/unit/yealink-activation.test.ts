/**
 * Yealink activation codes and PIN files (issue 3 item 7, vendors.md §2.4) through the real loader,
 * engine, shipped templates and catalog: what the common files say, what a PIN file holds, which
 * folder guards it, and the errors `check` reports.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { activationFolders } from '../../src/inventory/activation.js';
import { buildInventory } from '../../src/inventory/load.js';
import type { Inventory } from '../../src/inventory/types.js';
import { buildCatalog, type Catalog } from '../../src/render/catalog.js';
import type { ServerInfo } from '../../src/render/context.js';
import { createTemplateEngine } from '../../src/render/engine.js';
import { VendorRegistry } from '../../src/vendors/registry.js';
import { yealink, yealinkVarProblems } from '../../src/vendors/yealink.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const engine = createTemplateEngine({ shipped: join(repo, 'templates'), override: join(repo, 'test', 'fixtures', 'no-such-templates.local') });
const registry = new VendorRegistry([yealink]);
const server: ServerInfo = {
  host: 'prov.example.net',
  http_url: 'http://prov.example.net:8080/',
  https_url: null,
  tftp_url: null,
  ftp_url: null,
  provisioning_url: 'http://prov.example.net:8080/',
};

const BASE = `
profiles:
  pbx:
    account: { registrar: pbx.example.lan, transport: tls }
activation:
  - { name: Sales floor, code: "*11", folder: act/sales, user: sales, password: "pw-sales" }
  - { name: Lab, code: "#2", folder: lab, user: lab, password: "pw-lab", send_credentials: true }
pins:
  A31:
    folder: act/sales
    profile: pbx
    model: T21P_E2
    accounts:
      - { user: "331", password: "pin-secret" }
      - { line: 2, user: "332", password: "pin-secret-2", registrar: "10.0.0.5:5062" }
`;

function load(text: string): Inventory {
  const result = buildInventory([{ file: 'act.yaml', text }], registry);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.line}: ${p.message}`).join('\n'));
  return result.inventory;
}

function problems(text: string): string[] {
  const result = buildInventory([{ file: 'act.yaml', text }], registry);
  return result.ok ? [] : result.problems.map((p) => `${p.line}: ${p.message}`);
}

async function catalog(text: string): Promise<Catalog> {
  return buildCatalog({ inventory: load(text), registry, engine, server, now: 1 });
}

const textOf = (c: Catalog, name: string): string => c.lookup(name)?.file?.body.toString('utf8') ?? `(no ${name})`;

describe('activation codes', () => {
  it('are written into every common file, numbered in order, credentials only when asked', async () => {
    const c = await catalog(BASE);
    for (const common of ['y000000000028.cfg', 'y000000000108.cfg']) {
      const text = textOf(c, common);
      expect(text).toContain(
        [
          'static.autoprovision.1.name = Sales floor',
          'static.autoprovision.1.code = *11',
          'static.autoprovision.1.url = http://prov.example.net:8080/act/sales/',
          'static.autoprovision.2.name = Lab',
          'static.autoprovision.2.code = #2',
          'static.autoprovision.2.url = http://prov.example.net:8080/lab/',
          '## send_credentials: every phone that can fetch this file can read the next two lines.',
          'static.autoprovision.2.user = lab',
          'static.autoprovision.2.password = pw-lab',
          '',
        ].join('\n'),
      );
      expect(text).not.toContain('pw-sales');
      expect(text).not.toContain('static.autoprovision.1.user');
    }
  });

  it('become folders with their own user for the access policy', () => {
    expect(activationFolders(load(BASE).activation)).toEqual([
      { folder: ['act', 'sales'], users: [{ user: 'sales', password: 'pw-sales' }] },
      { folder: ['lab'], users: [{ user: 'lab', password: 'pw-lab' }] },
    ]);
  });

  it('refuses bad codes, folders that escape, duplicates and more than 50', () => {
    expect(problems(BASE.replace('code: "*11"', 'code: "11a"'))).toEqual(['6: code: an activation code is 1-32 of the digits 0-9, "*" and "#"']);
    expect(problems(BASE.replace('folder: act/sales, user', 'folder: act/../x, user'))[0]).toMatch(/^6: folder: /);
    expect(problems(BASE.replace('folder: lab', 'folder: act/sales'))).toEqual([
      '7: activation folder "act/sales" is used twice: act.yaml:6 and act.yaml:7',
    ]);
    const many = Array.from({ length: 51 }, (_, i) => `  - { name: n${i}, code: "${i}", folder: f${i}, user: u, password: p }`).join('\n');
    expect(problems(`activation:\n${many}\n`)).toEqual(['52: activation code 51 is above the 50 a Yealink phone holds']);
  });
});

describe('PIN files', () => {
  it('yealink_pin_url tells every phone where a typed PIN is fetched, and must hold $pin', async () => {
    const url = 'http://prov.example.net:8080/act/sales/$pin.cfg';
    const c = await catalog(`defaults:\n  vars: { yealink_pin_url: "${url}" }\n${BASE}`);
    expect(textOf(c, 'y000000000028.cfg')).toContain(`static.custom_mac_cfg.url = ${url}\n`);
    expect(yealinkVarProblems({ yealink_pin_url: url })).toEqual([]);
    expect(yealinkVarProblems({ yealink_pin_url: 'http://prov/act/sales/A31.cfg' })).toEqual([
      'yealink_pin_url must contain $pin (e.g. http://prov/act/sales/$pin.cfg), got "http://prov/act/sales/A31.cfg"',
    ]);
  });

  it('render <PIN>.cfg with the account lines, bound to the activation folder and secret', async () => {
    const c = await catalog(BASE);
    const entry = c.lookup('a31.cfg');
    expect(entry?.name).toBe('A31.cfg');
    expect(entry?.folder).toEqual(['act', 'sales']);
    expect(entry?.secret).toBe(true);
    const text = textOf(c, 'A31.cfg');
    expect(text.startsWith('#!version:1.0.0.1\n')).toBe(true);
    expect(text).toContain('account.1.user_name = 331\naccount.1.auth_name = 331\naccount.1.password = pin-secret\n');
    expect(text).toContain('account.1.sip_server.1.port = 5061\naccount.1.sip_server.1.transport_type = 2\n');
    expect(text).toContain('account.2.sip_server.1.address = 10.0.0.5\naccount.2.sip_server.1.port = 5062\n');
  });

  it('refuses a folder that is no activation folder, a bad PIN, a duplicate and too many lines', () => {
    expect(problems(BASE.replace('    folder: act/sales\n    profile', '    folder: elsewhere\n    profile'))).toEqual([
      '10: PIN A31: folder "elsewhere" is not an activation folder (known: act/sales, lab)',
    ]);
    expect(problems(BASE.replace('  A31:', '  A-31:'))).toEqual(['9: bad PIN "A-31": a PIN is 1-32 letters and digits (e.g. A31)']);
    expect(problems(`${BASE}  a31:\n    folder: lab\n`)).toEqual(['16: PIN "a31" is defined twice: act.yaml:9 and act.yaml:16']);
    expect(problems(BASE.replace('{ line: 2,', '{ line: 3,'))).toEqual([
      '15: device PIN A31: account line 3 is above the 2 account lines a Yealink T21P_E2 has',
    ]);
    expect(problems(BASE.replace('profile: pbx\n    model', 'profile: nope\n    model'))).toEqual(['11: PIN A31: unknown profile "nope"']);
  });
});
