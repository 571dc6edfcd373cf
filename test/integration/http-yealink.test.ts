/**
 * A Yealink phone against the running daemon over HTTP, with curl: the boot sequence and its
 * 404 fall-backs, HEAD, Range, ETag/304, folder auth (Basic and Digest), the MAC-local upload
 * round trip, and every traversal form answered 404 with a ledger record and a security log line.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, eventually, startDaemon, type Daemon } from './daemon-harness.js';

const MAC = '805ec0d57d72';
const UA = 'Yealink SIP-T46U 108.86.0.20 80:5e:c0:d5:7d:72';
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const firmware = randomBytes(1024 * 1024 + 123);

interface LedgerJson {
  path: string;
  outcome: string;
  reason: string | null;
  status: number | null;
  md5: string | null;
  bytes: number;
  user: string | null;
  source: string | null;
}
const jsonLines = <T>(text: string): T[] => text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);

describe('Yealink over HTTP through the pipeline', () => {
  let d: Daemon;
  beforeAll(async () => {
    d = await startDaemon({
      extraConfig: [
        'uploads:',
        '  max_bytes: 2048',
        'security:',
        '  auth:',
        '    folders:',
        '      - path: T23G_1',
        '        users: [{ user: act1, password: "s3cret-1" }]',
      ].join('\n'),
      prepare: (dir) => {
        mkdirSync(join(dir, 'root', 'firmware'), { recursive: true });
        writeFileSync(join(dir, 'root', 'firmware', '108.86.0.20.rom'), firmware);
        mkdirSync(join(dir, 'root', 'HTTP Directory'), { recursive: true });
        writeFileSync(join(dir, 'root', 'HTTP Directory', 'sip.cfg'), '#!version:1.0.0.1\nsip.x = 1\n');
        mkdirSync(join(dir, 'root', 'T23G_1'), { recursive: true });
        writeFileSync(join(dir, 'root', 'T23G_1', 'activation.cfg'), '#!version:1.0.0.1\nfeatures.y = 1\n');
        writeFileSync(join(dir, 'secret.txt'), 'outside the root');
      },
    });
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('walks the boot sequence: MAC boot, the included files, and real 404s for fall-backs', async () => {
    const boot = await curl(['-A', UA, `${d.base}/${MAC}.boot`]);
    expect(boot.status).toBe(200);
    expect(boot.headers['content-type']).toBe('text/plain; charset=utf-8');
    const includes = [...boot.body.toString().matchAll(/include:config "([^"]+)"/g)].map((m) => m[1]);
    expect(includes).toEqual(['y000000000108.cfg', `${MAC}.cfg`]);
    for (const name of includes) {
      const r = await curl(['-A', UA, `${d.base}/${name}`]);
      expect(r.status).toBe(200);
      expect(r.body.toString().startsWith('#!version:1.0.0.1\n')).toBe(true);
      expect(r.headers.etag).toBe(`"${md5(r.body)}"`);
    }
    // An unknown phone: no MAC boot (404, so it falls back), the common boot file, no MAC cfg.
    const stranger = 'Yealink SIP-T46U 108.86.0.20 80:5e:c0:00:00:01';
    expect((await curl(['-A', stranger, `${d.base}/805ec0000001.boot`])).status).toBe(404);
    const common = await curl(['-A', stranger, `${d.base}/y000000000000.boot`]);
    expect(common.status).toBe(200);
    expect(common.body.toString()).toContain('[T46U]include:config "y000000000108.cfg"');
    expect(common.body.toString()).not.toMatch(/password/);
    expect((await curl(['-A', stranger, `${d.base}/805ec0000001-local.cfg`])).status).toBe(404);
  });

  it('answers under a $PN folder like at the root, and paths with spaces', async () => {
    const root = await curl(['-A', UA, `${d.base}/${MAC}.boot`]);
    const pn = await curl(['-A', UA, `${d.base}/T46U/${MAC}.boot`]);
    expect(pn.status).toBe(200);
    expect(md5(pn.body)).toBe(md5(root.body));
    const spaced = await curl([`${d.base}/HTTP%20Directory/sip.cfg`]);
    expect(spaced.status).toBe(200);
    expect(spaced.body.toString()).toContain('sip.x = 1');
    const fw = await curl([`${d.base}/T46U/firmware/108.86.0.20.rom`]);
    expect(md5(fw.body)).toBe(md5(firmware));
  });

  it('HEAD, Range and ETag/If-None-Match on a static firmware file and a generated file', async () => {
    const head = await curl(['-I', `${d.base}/firmware/108.86.0.20.rom`]);
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(firmware.length));
    expect(head.headers.etag).toBe(`"${md5(firmware)}"`);
    // curl -I writes the header block to its output instead of a body: no firmware bytes came.
    expect(head.body.toString('latin1')).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n$/);

    const part = await curl(['-r', '1000-1999', `${d.base}/firmware/108.86.0.20.rom`]);
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${firmware.length}`);
    expect(part.body.equals(firmware.subarray(1000, 2000))).toBe(true);
    const tail = await curl(['-r', '-100', `${d.base}/firmware/108.86.0.20.rom`]);
    expect(tail.body.equals(firmware.subarray(firmware.length - 100))).toBe(true);
    expect((await curl(['-r', `${firmware.length + 10}-`, `${d.base}/firmware/108.86.0.20.rom`])).status).toBe(416);

    const cfg = await curl(['-A', UA, `${d.base}/${MAC}.cfg`]);
    const notModified = await curl(['-A', UA, '-H', `If-None-Match: ${cfg.headers.etag}`, `${d.base}/${MAC}.cfg`]);
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    const stale = await curl(['-A', UA, '-H', 'If-None-Match: "0123"', `${d.base}/${MAC}.cfg`]);
    expect(stale.status).toBe(200);

    const rows = await eventually(async () => {
      const r = jsonLines<LedgerJson>((await d.cli(['ledger', '--json', '--limit', '50'])).stdout);
      return r.some((x) => x.status === 206) && r.some((x) => x.status === 304) ? r : undefined;
    });
    const ranged = rows.find((x) => x.status === 206 && x.bytes === 1000)!;
    expect(ranged.md5).toBe(md5(firmware.subarray(1000, 2000)));
  });

  it('asks for credentials on a protected folder and accepts Basic, pre-emptive Basic and Digest', async () => {
    const url = `${d.base}/T23G_1/activation.cfg`;
    const none = await curl([url]);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBeDefined();
    expect((await curl(['-u', 'act1:wrong', url])).status).toBe(401);
    const basic = await curl(['-u', 'act1:s3cret-1', url]);
    expect(basic.status).toBe(200);
    expect(basic.body.toString()).toContain('features.y = 1');
    expect((await curl(['--digest', '-u', 'act1:s3cret-1', url])).status).toBe(200);
    expect((await curl(['--digest', '-u', 'act1:nope', url])).status).toBe(401);
    // Generated files are served in a protected folder too, behind the same credentials.
    expect((await curl(['-A', UA, `${d.base}/T23G_1/${MAC}.boot`])).status).toBe(401);
    expect((await curl(['-A', UA, '-u', 'act1:s3cret-1', `${d.base}/T23G_1/${MAC}.boot`])).status).toBe(200);
    const rows = await eventually(async () => {
      const r = jsonLines<LedgerJson>((await d.cli(['ledger', '--json', '--limit', '100'])).stdout);
      return r.some((x) => x.user === 'act1' && x.outcome === 'served') ? r : undefined;
    });
    expect(rows.some((x) => x.reason === 'auth_failed')).toBe(true);
    expect(JSON.stringify(d.logs)).not.toContain('s3cret-1');
  });

  it('stores the phone\'s MAC-local upload atomically and serves it back; refuses others', async () => {
    const local = join(d.dir, 'upload-local.cfg');
    writeFileSync(local, '#!version:1.0.0.1\nfeatures.dnd.enable = 1\n');
    const put = await curl(['-A', UA, '-T', local, `${d.base}/${MAC}-local.cfg`]);
    expect(put.status).toBe(201);
    const back = await curl(['-A', UA, `${d.base}/${MAC}-local.cfg`]);
    expect(back.status).toBe(200);
    expect(back.body.toString()).toContain('features.dnd.enable = 1');
    writeFileSync(local, '#!version:1.0.0.1\nfeatures.dnd.enable = 0\n');
    expect((await curl(['-A', UA, '-T', local, `${d.base}/${MAC}-local.cfg`])).status).toBe(204);

    const big = join(d.dir, 'big.cfg');
    writeFileSync(big, Buffer.alloc(4096, 0x41));
    expect((await curl(['-A', UA, '-T', big, `${d.base}/${MAC}-local.cfg`])).status).toBe(413);
    expect((await curl(['-A', UA, '-T', big, '-H', 'Transfer-Encoding: chunked', `${d.base}/${MAC}-local.cfg`])).status).toBe(413);
    const kept = await curl(['-A', UA, `${d.base}/${MAC}-local.cfg`]);
    expect(kept.body.toString()).toContain('features.dnd.enable = 0');

    expect((await curl(['-A', UA, '-T', local, `${d.base}/${MAC}.cfg`])).status).toBe(405);
    expect((await curl(['-A', UA, '-T', local, `${d.base}/firmware/evil.rom`])).status).toBe(405);
    expect((await curl(['-A', UA, '-T', local, `${d.base}/001565abcdef-local.cfg`])).status).toBe(405);
    expect((await curl(['-X', 'DELETE', `${d.base}/${MAC}-local.cfg`])).status).toBe(405);
    const generated = await curl(['-A', UA, `${d.base}/${MAC}.cfg`]);
    expect(generated.body.toString()).toContain('account.1.password');
  });

  it('answers every traversal form with the same 404, a ledger reason and a security log line', async () => {
    const missing = await curl([`${d.base}/no-such-file.cfg`]);
    expect(missing.status).toBe(404);
    const attempts = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/firmware/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/firmware%00.rom',
      `/${'a'.repeat(1500)}`,
    ];
    for (const path of attempts) {
      const r = await curl([`${d.base}${path}`]);
      expect(r.status, path).toBe(404);
      expect(r.body.equals(missing.body), path).toBe(true);
      expect(r.body.toString()).not.toContain('outside the root');
    }
    const rows = await eventually(async () => {
      const r = jsonLines<LedgerJson>((await d.cli(['ledger', '--json', '--limit', '200'])).stdout);
      return r.filter((x) => x.reason === 'bad_path').length >= 5 ? r : undefined;
    });
    expect(rows.filter((x) => x.reason === 'bad_path').length).toBeGreaterThanOrEqual(5);
    const security = d.logs.filter((l) => l.channel === 'security' && l.reason === 'bad_path');
    expect(security.length).toBeGreaterThanOrEqual(4);
  });
});

describe('policy modes over HTTP', () => {
  it('blocks an address that guesses unknown MAC files, and never confirms a secret exists', async () => {
    const d = await startDaemon({
      extraConfig: ['security:', '  secret_files: user-agent', '  scanner: { unknown_macs: 3, window_seconds: 60, block_seconds: 60 }'].join('\n'),
    });
    try {
      const otherUa = 'Yealink SIP-T54W 96.86.0.20 24:9a:d8:10:20:30';
      // A known phone asking for another phone's secret file: same 404 as a missing file.
      const foreign = await curl(['-A', otherUa, `${d.base}/${MAC}.cfg`]);
      const missing = await curl(['-A', otherUa, `${d.base}/nothing.cfg`]);
      expect(foreign.status).toBe(404);
      expect(foreign.body.equals(missing.body)).toBe(true);
      expect(foreign.headers['content-length']).toBe(missing.headers['content-length']);
      for (let i = 1; i <= 3; i++) expect((await curl([`${d.base}/0015650000${i.toString().padStart(2, '0')}.cfg`])).status).toBe(404);
      expect((await curl([`${d.base}/001565000009.cfg`])).status).toBe(404);
      // Now blocked: even a file everyone may fetch is refused.
      expect((await curl([`${d.base}/y000000000000.boot`])).status).toBe(403);
      await d.waitForLog((l) => l.channel === 'security' && l.msg === 'address blocked for guessing device files');
    } finally {
      await d.stop();
    }
  });

  it('refuses clients outside the allowed networks', async () => {
    const d = await startDaemon({ extraConfig: ['security:', '  allowed_networks: [10.0.0.0/8]'].join('\n') });
    try {
      expect((await curl(['-A', UA, `${d.base}/y000000000000.boot`])).status).toBe(403);
    } finally {
      await d.stop();
    }
  });
});
