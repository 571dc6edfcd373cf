/**
 * Encrypted Yealink configs over real HTTP (curl) from the built daemon and the example inventory:
 * the phone gets `<mac>.cfg` and `<mac>_Security.enc`, decrypts them the way the phone does
 * (node:crypto by hand, not provd's codec), and the ledger records the MD5 of the bytes sent.
 */
import { createDecipheriv, createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, eventually, startDaemon, type Daemon } from './daemon-harness.js';

const MAC = '805ec0112233';
const UA = 'Yealink SIP-T46U 108.86.0.20 80:5e:c0:11:22:33';
const OTHER_UA = 'Yealink SIP-T46U 108.86.0.20 80:5e:c0:d5:7d:72';
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

function ecbDecrypt(key: Buffer, data: Buffer): Buffer {
  const d = createDecipheriv('aes-128-ecb', key, null);
  d.setAutoPadding(false);
  return Buffer.concat([d.update(data), d.final()]);
}

interface LedgerJson {
  path: string;
  outcome: string;
  md5: string | null;
}

describe('encrypted configs over HTTP', () => {
  let d: Daemon;
  beforeAll(async () => {
    d = await startDaemon();
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('serves the encrypted file and its key file to the phone, and the ledger has their MD5s', async () => {
    const boot = await curl(['-A', UA, `${d.base}/T46U/${MAC}.boot`]);
    expect(boot.status).toBe(200);
    expect(boot.body.toString()).toContain(`include:config "${MAC}.cfg"`);
    const cfg = await curl(['-A', UA, `${d.base}/T46U/${MAC}.cfg`]);
    // aes_key_in_file = 1: the RSA-mode key file first (not made by provd: 404, the phone falls back).
    expect((await curl(['-A', UA, `${d.base}/T46U/${MAC}.enc`])).status).toBe(404);
    const key = await curl(['-A', UA, `${d.base}/T46U/${MAC}_Security.enc`]);
    expect([cfg.status, key.status]).toEqual([200, 200]);
    expect(cfg.headers['content-type']).toBe('application/octet-stream');
    expect(cfg.headers['etag']).toBe(`"${md5(cfg.body)}"`);
    const fileKey = ecbDecrypt(Buffer.from('EKs35XacP6eybA25', 'ascii'), key.body);
    const text = ecbDecrypt(fileKey, cfg.body).toString('utf8');
    expect(text).toContain('account.1.password = demo-secure-301\n');
    expect(text).toContain('static.auto_provision.aes_key.mac = Demo-Mac-Key-001\n');

    const rows = await eventually(async () => {
      const out = (await d.cli(['ledger', '--mac', MAC, '--json'])).stdout;
      const list = out.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as LedgerJson);
      return list.length >= 4 ? list : undefined;
    });
    const byPath = new Map(rows.map((r) => [r.path, r]));
    expect(byPath.get(`/T46U/${MAC}.cfg`)).toMatchObject({ outcome: 'served', md5: md5(cfg.body) });
    expect(byPath.get(`/T46U/${MAC}_Security.enc`)).toMatchObject({ outcome: 'served', md5: md5(key.body) });
    expect(byPath.get(`/T46U/${MAC}.enc`)).toMatchObject({ outcome: 'not_found', md5: null });
  });

  it('answers the key file exactly like the config it opens, to any request', async () => {
    for (const args of [['-A', OTHER_UA], ['-A', UA], []]) {
      const cfg = await curl([...args, `${d.base}/${MAC}.cfg`]);
      const key = await curl([...args, `${d.base}/${MAC}_Security.enc`]);
      expect({ args, key: key.status }).toEqual({ args, key: cfg.status });
    }
  });

  it('provd render prints the encrypted bytes the phone gets', async () => {
    const cfg = await curl(['-A', UA, `${d.base}/${MAC}.cfg`]);
    const rendered = await d.cli(['render', MAC, `${MAC}.cfg`]);
    expect(rendered.code).toBe(0);
    expect(rendered.stderr).toContain(md5(cfg.body));
  });
});

describe('encrypted configs under secret_files: user-agent', () => {
  let d: Daemon;
  beforeAll(async () => {
    d = await startDaemon({ extraConfig: 'security:\n  secret_files: user-agent\n' });
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('refuses the key file to a phone whose User-Agent carries another MAC', async () => {
    expect((await curl(['-A', OTHER_UA, `${d.base}/${MAC}_Security.enc`])).status).toBe(404);
    expect((await curl(['-A', OTHER_UA, `${d.base}/${MAC}.cfg`])).status).toBe(404);
    expect((await curl(['-A', UA, `${d.base}/${MAC}_Security.enc`])).status).toBe(200);
  });
});
