/**
 * Encrypted configs through the real loader, engine, shipped templates and catalog. Every
 * ciphertext is checked by a decryptor that does not use provd's codec: `openssl enc -d` for the
 * OpenSSL format, and node:crypto driven by hand (the phone's steps) for Yealink.
 */
import { execFileSync } from 'node:child_process';
import { createDecipheriv, createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildInventory } from '../../src/inventory/load.js';
import type { Inventory } from '../../src/inventory/types.js';
import { buildCatalog, type Catalog } from '../../src/render/catalog.js';
import { deterministicSalt, encryptOpensslSalted } from '../../src/render/crypto/openssl-salted.js';
import type { ServerInfo } from '../../src/render/context.js';
import { createTemplateEngine } from '../../src/render/engine.js';
import { VendorRegistry } from '../../src/vendors/registry.js';
import { grandstream } from '../../src/vendors/grandstream.js';
import { yealink } from '../../src/vendors/yealink.js';
import type { VendorModule } from '../../src/vendors/types.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const engine = createTemplateEngine({ shipped: join(repo, 'templates'), override: join(repo, 'test', 'fixtures', 'no-such-templates.local') });
const server: ServerInfo = {
  host: 'prov.example.net',
  http_url: 'http://prov.example.net:8080/',
  https_url: null,
  tftp_url: null,
  ftp_url: null,
  provisioning_url: 'http://prov.example.net:8080/',
};
const work = mkdtempSync(join(tmpdir(), 'yealink-crypto-enc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const COMMON_KEY = 'Common#Key-2026!'.replace('!', '~');
const MAC_KEY = 'MacKey0123456789';

function inventoryYaml(encryption: string, deviceEncryption = ''): string {
  return `
profiles:
  secure:
    account: { registrar: pbx.example.lan, transport: tls }
${encryption}
devices:
  - mac: "80:5e:c0:d5:7d:72"
    model: T46U
    profile: secure
${deviceEncryption}
    accounts:
      - { user: "3223", password: "very-secret-pw" }
  - mac: "44:db:d2:aa:bb:01"
    model: T21P_E2
    accounts:
      - { user: "201", password: "plain-pw", registrar: pbx.example.lan }
`;
}

function load(text: string, registry = new VendorRegistry([yealink])): Inventory {
  const result = buildInventory([{ file: 'inv.yaml', text }], registry);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.line}: ${p.message}`).join('\n'));
  return result.inventory;
}

function problemsOf(text: string): string[] {
  const result = buildInventory([{ file: 'inv.yaml', text }], new VendorRegistry([yealink]));
  return result.ok ? [] : result.problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
}

async function catalog(inventory: Inventory, registry = new VendorRegistry([yealink])): Promise<Catalog> {
  return buildCatalog({ inventory, registry, engine, server, now: 1 });
}

function body(cat: Catalog, name: string): Buffer {
  const file = cat.lookup(name)?.file;
  if (!file) throw new Error(`${name} not in the catalog (${cat.problems.map((p) => p.message).join('; ')})`);
  return file.body;
}

/** AES-128-ECB decryption as the phone does it: raw blocks, no padding scheme. */
function ecbDecrypt(key: Buffer, data: Buffer): Buffer {
  const d = createDecipheriv('aes-128-ecb', key, null);
  d.setAutoPadding(false);
  return Buffer.concat([d.update(data), d.final()]);
}

const BUILTIN = Buffer.from('EKs35XacP6eybA25', 'ascii');

describe('Yealink compatibility mode', () => {
  const enc = `    encryption: { key: "${COMMON_KEY}" }`;

  it('serves <mac>.cfg encrypted with a key that <mac>_Security.enc unwraps under the built-in key', async () => {
    const cat = await catalog(load(inventoryYaml(enc, `    encryption: { mac_key: "${MAC_KEY}" }`)));
    const keyFile = body(cat, '805ec0d57d72_Security.enc');
    expect(keyFile.length).toBe(16);
    const fileKey = ecbDecrypt(BUILTIN, keyFile);
    expect(fileKey.toString('ascii')).toMatch(/^[0-9A-Za-z]{16}$/);
    const cipher = body(cat, '805ec0d57d72.cfg');
    expect(cipher.length % 16).toBe(0);
    const plain = ecbDecrypt(fileKey, cipher).toString('utf8');
    expect(plain.startsWith('#!version:1.0.0.1\n')).toBe(true);
    expect(plain).toContain('account.1.password = very-secret-pw\n');
    expect(plain).toContain('static.auto_provision.aes_key_in_file = 1\n');
    expect(plain).toContain(`static.auto_provision.aes_key.com = ${COMMON_KEY}\n`);
    expect(plain).toContain(`static.auto_provision.aes_key.mac = ${MAC_KEY}\n`);
    // Space padding, as the vendor tool pads; the text itself ends with one newline.
    expect(plain).toMatch(/\n {0,15}$/);
    expect(cipher.includes(Buffer.from('very-secret-pw'))).toBe(false);
    // The recorded MD5 is the MD5 of the bytes sent.
    expect(cat.lookup('805ec0d57d72.cfg')?.file?.md5).toBe(createHash('md5').update(cipher).digest('hex'));
    expect(cat.lookup('805ec0d57d72.cfg')?.file?.contentType).toBe('application/octet-stream');
    // The key file is as secret as the file it opens; boot file and other devices stay plain.
    expect(cat.lookup('805ec0d57d72_Security.enc')?.secret).toBe(true);
    expect(cat.lookup('805ec0d57d72_Security.enc')?.mac).toBe('805ec0d57d72');
    expect(body(cat, '805ec0d57d72.boot').toString('utf8')).toContain('include:config "805ec0d57d72.cfg"');
    expect(body(cat, '44dbd2aabb01.cfg').toString('utf8')).toContain('account.1.password = plain-pw');
    expect(cat.lookup('44dbd2aabb01_Security.enc')).toBeUndefined();
  });

  it('with key_in_file false encrypts with the MAC key itself and serves no key file', async () => {
    const cat = await catalog(load(inventoryYaml(enc, `    encryption: { mac_key: "${MAC_KEY}", key_in_file: false }`)));
    expect(cat.lookup('805ec0d57d72_Security.enc')).toBeUndefined();
    const plain = ecbDecrypt(Buffer.from(MAC_KEY, 'ascii'), body(cat, '805ec0d57d72.cfg')).toString('utf8');
    expect(plain).toContain('static.auto_provision.aes_key_in_file = 0\n');
    expect(plain).toContain('account.1.user_name = 3223\n');
  });

  it('without mac_key the common key encrypts the device file', async () => {
    const cat = await catalog(load(inventoryYaml(enc, '    encryption: { key_in_file: false }')));
    const plain = ecbDecrypt(Buffer.from(COMMON_KEY, 'ascii'), body(cat, '805ec0d57d72.cfg')).toString('utf8');
    expect(plain).toContain(`static.auto_provision.aes_key.mac = ${COMMON_KEY}\n`);
  });

  it('a device can turn off its profile encryption', async () => {
    const cat = await catalog(load(inventoryYaml(enc, '    encryption: { enabled: false }')));
    expect(body(cat, '805ec0d57d72.cfg').toString('utf8')).toContain('account.1.password = very-secret-pw');
    expect(body(cat, '805ec0d57d72.cfg').toString('utf8')).not.toContain('aes_key');
    expect(cat.lookup('805ec0d57d72_Security.enc')).toBeUndefined();
  });

  it('is byte-stable across renders and changes key and bytes when the content changes', async () => {
    const text = inventoryYaml(enc);
    const a = await catalog(load(text));
    const b = await catalog(load(text));
    expect(body(a, '805ec0d57d72.cfg').equals(body(b, '805ec0d57d72.cfg'))).toBe(true);
    expect(body(a, '805ec0d57d72_Security.enc').equals(body(b, '805ec0d57d72_Security.enc'))).toBe(true);
    const c = await catalog(load(text.replace('very-secret-pw', 'other-secret-pw')));
    expect(body(a, '805ec0d57d72_Security.enc').equals(body(c, '805ec0d57d72_Security.enc'))).toBe(false);
    expect(body(a, '805ec0d57d72.cfg').equals(body(c, '805ec0d57d72.cfg'))).toBe(false);
  });

  it('refuses keys of the wrong length or with characters the phone rejects, at the key line', () => {
    expect(problemsOf(inventoryYaml('    encryption: { key: "short" }'))).toEqual([
      'inv.yaml:5: device 80:5e:c0:d5:7d:72: encryption.key must be exactly 16 characters long, got 5',
    ]);
    const bad = problemsOf(inventoryYaml(enc, '    encryption: { mac_key: "MacKey 01234567!" }'));
    expect(bad).toEqual([
      'inv.yaml:10: device 80:5e:c0:d5:7d:72: encryption.mac_key may hold only 0-9 A-Z a-z # $ % * + , - . : = ? @ [ ] ^ _ { } ~; found " " "!"',
    ]);
    expect(problemsOf(inventoryYaml(`    encryption: { key: "${'a'.repeat(32)}" }`))[0]).toContain('32-character keys are not supported yet');
    expect(problemsOf(inventoryYaml('', '    encryption: { key_in_file: false }'))).toEqual([
      'inv.yaml:10: device 80:5e:c0:d5:7d:72: encryption needs a key (set encryption.key on the device or its profile)',
    ]);
    expect(problemsOf(inventoryYaml('', '    encryption: { kee: "x" }'))[0]).toContain('unknown key "kee"');
  });
});

describe('OpenSSL Salted__ AES-256-CBC (Grandstream, Cisco MPP)', () => {
  const password = 'Gs-Pass_2026';
  const opensslDecrypt = (data: Buffer, pass: string): Buffer => {
    const file = join(work, `in-${createHash('md5').update(data).digest('hex')}`);
    writeFileSync(file, data);
    return execFileSync('openssl', ['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-pass', `pass:${pass}`, '-in', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  };

  it('decrypts with openssl enc -d -aes-256-cbc -md md5, for lengths around the block size', () => {
    for (const length of [0, 1, 15, 16, 17, 4096]) {
      const plain = Buffer.alloc(length, 'P');
      const data = encryptOpensslSalted(plain, password, deterministicSalt(password, 'cfg.xml', plain));
      expect(data.subarray(0, 8).toString('latin1')).toBe('Salted__');
      expect(opensslDecrypt(data, password).equals(plain)).toBe(true);
    }
  });

  it('derives the salt from password, name and content: stable, and different when any changes', () => {
    const plain = Buffer.from('<gs_provision/>\n');
    const salt = deterministicSalt(password, 'cfg805ec0d57d72.xml', plain);
    expect(deterministicSalt(password, 'cfg805ec0d57d72.xml', plain).equals(salt)).toBe(true);
    expect(deterministicSalt(password, 'cfg805ec0d57d73.xml', plain).equals(salt)).toBe(false);
    expect(deterministicSalt(password, 'cfg805ec0d57d72.xml', Buffer.from('<gs_provision />\n')).equals(salt)).toBe(false);
    expect(deterministicSalt(`${password}x`, 'cfg805ec0d57d72.xml', plain).equals(salt)).toBe(false);
  });

  it('a wrong password does not decrypt', () => {
    const plain = Buffer.from('P1359 = x\n');
    const data = encryptOpensslSalted(plain, password, deterministicSalt(password, 'a', plain));
    expect(() => opensslDecrypt(data, 'wrong-password')).toThrow();
  });

  it('Grandstream: cfg<mac>.xml is encrypted under P1359 and carries it; the shared files stay plain', async () => {
    const registry = new VendorRegistry([grandstream]);
    const yaml = `
profiles:
  zoom:
    account: { registrar: us01sipbr.zoom.us, transport: tls }
    encryption: { key: "${password}" }
devices:
  - mac: "00:0b:82:aa:bb:cc"
    model: WP810
    profile: zoom
    accounts:
      - { user: "8001", password: "zoom-sip-pw" }
  - mac: "00:0b:82:aa:bb:cd"
    model: WP810
    profile: zoom
    encryption: { mac_key: "Own&Pass<1>" }
    accounts:
      - { user: "8002", password: "zoom-sip-pw-2" }
`;
    const cat = await catalog(load(yaml, registry), registry);
    const encrypted = body(cat, 'cfg000b82aabbcc.xml');
    expect(encrypted.subarray(0, 8).toString('latin1')).toBe('Salted__');
    expect(cat.lookup('cfg000b82aabbcc.xml')?.file.contentType).toBe('application/octet-stream');
    const text = opensslDecrypt(encrypted, password).toString('utf8');
    expect(text).toContain('<P35>8001</P35>');
    expect(text).toContain(`<P1359>${password}</P1359>`);
    // A device's own key wins, and reaches the phone XML-escaped.
    const own = opensslDecrypt(body(cat, 'cfg000b82aabbcd.xml'), 'Own&Pass<1>').toString('utf8');
    expect(own).toContain('<P1359>Own&amp;Pass&lt;1&gt;</P1359>');
    expect(() => opensslDecrypt(body(cat, 'cfg000b82aabbcd.xml'), password)).toThrow();
    for (const shared of ['cfg.xml', 'cfgwp810.xml']) expect(body(cat, shared).toString('utf8')).toMatch(/^<\?xml /);
  });

  // The hook as Cisco will use it: a vendor naming the OpenSSL format. Here the Yealink module
  // under another id stands in.
  const saltedVendor: VendorModule = { ...yealink, id: 'saltedlink', displayName: 'Saltedlink', encryption: { format: 'openssl-aes256-cbc' } };
  const saltedYaml = (key: string): string =>
    inventoryYaml('').replace('model: T46U', `vendor: saltedlink\n    model: T46U\n    encryption: { key: "${key}" }`).replace(/  - mac: "44:db[\s\S]*$/, '');

  it('encrypts a marked file of a vendor that opts in, and openssl decrypts it', async () => {
    const registry = new VendorRegistry([saltedVendor]);
    const cat = await catalog(load(saltedYaml(password), registry), registry);
    const plain = opensslDecrypt(body(cat, '805ec0d57d72.cfg'), password).toString('utf8');
    expect(plain).toContain('account.1.password = very-secret-pw\n');
    expect(cat.lookup('805ec0d57d72_Security.enc')).toBeUndefined();
    const again = await catalog(load(saltedYaml(password), registry), registry);
    expect(body(again, '805ec0d57d72.cfg').equals(body(cat, '805ec0d57d72.cfg'))).toBe(true);
  });

  it('refuses passwords the format does not take', () => {
    const registry = new VendorRegistry([saltedVendor]);
    const result = buildInventory([{ file: 'inv.yaml', text: saltedYaml('has \\"quotes\\"') }], registry);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.message)).toEqual([
      'device 80:5e:c0:d5:7d:72: encryption.key may hold printable ASCII except space, quotes and backslash; found " " "\\""',
    ]);
  });

  it('a vendor without encryption support refuses the setting', () => {
    const plainVendor: VendorModule = { ...yealink, id: 'plainlink', displayName: 'Plainlink', encryption: undefined };
    const registry = new VendorRegistry([plainVendor]);
    const result = buildInventory([{ file: 'inv.yaml', text: saltedYaml(password).replace('saltedlink', 'plainlink') }], registry);
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([
      'device 80:5e:c0:d5:7d:72: encryption is set but provd cannot encrypt Plainlink configs',
    ]);
  });
});
