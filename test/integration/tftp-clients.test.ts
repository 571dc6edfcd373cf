/**
 * TFTP against the running daemon with real clients (curl, tftp-hpa, atftp): bytes by MD5 and
 * the ledger record of every transfer. Ephemeral-port mode, listening on :: (IPv4 and IPv6).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atftpGet, curlGet, hpaGet, hpaPut } from '../fixtures/tftp/clients.js';
import { md5, patterned, startTftpDaemon, type TftpDaemon } from '../fixtures/tftp/daemon.js';

const MAC = '805ec0d57d72'; // the example inventory's T46U
const FILES = {
  'small.bin': patterned(1000),
  'exact.bin': patterned(1468 * 4),
  'exact512.bin': patterned(512 * 8),
  'fw/mid.bin': patterned(300_000),
  'empty.bin': Buffer.alloc(0),
};
const BIG = 64 * 1024 * 1024;

let d: TftpDaemon;
let out: string;
const local = (name: string): string => join(out, name);

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'provd-tftp-out-'));
  d = await startTftpDaemon(
    ['tftp:', '  enabled: true', '  port: 0', '  bind: "::"', '  retransmit:', '    initial_ms: 200', '    max_ms: 800', '    give_up_ms: 3000'].join('\n'),
    { ...FILES, 'fw/big.bin': patterned(BIG) },
  );
}, 60_000);
afterAll(async () => {
  await d?.stop();
});

describe('tftp with real clients', () => {
  it('curl gets a generated file and a static one; the ledger has bytes, MD5 and the options', async () => {
    const r = await curlGet('127.0.0.1', d.tftpPort, `${MAC}.cfg`, local('cfg'), 1468);
    expect(r.code).toBe(0);
    const body = readFileSync(local('cfg'));
    expect(body.toString()).toContain('#!version:1.0.0.1');
    const row = await d.row((x) => x.path === `/${MAC}.cfg`);
    expect(row).toMatchObject({ protocol: 'tftp', outcome: 'served', bytes: body.length, md5: md5(body), delivered: true, file: `${MAC}.cfg` });
    expect(row.detail).toMatchObject({ end: 'completed', blksize: 1468, retransmissions: 0, options: { blksize: '1468' } });

    // The same bytes over HTTP: one resolver for every protocol.
    const http = await fetch(`${d.base}/${MAC}.cfg`);
    expect(md5(Buffer.from(await http.arrayBuffer()))).toBe(md5(body));

    expect((await curlGet('127.0.0.1', d.tftpPort, 'small.bin', local('small'))).code).toBe(0);
    expect(md5(readFileSync(local('small')))).toBe(md5(FILES['small.bin']));
  });

  it('tftp-hpa (no options, lockstep 512) gets small, empty and exact-multiple files', async () => {
    for (const name of ['small.bin', 'exact512.bin', 'empty.bin']) {
      const r = await hpaGet('127.0.0.1', d.tftpPort, name, local(`hpa-${name}`));
      expect(r.stdout + r.stderr).not.toMatch(/Error|timed out/i);
      expect(md5(readFileSync(local(`hpa-${name}`)))).toBe(md5(FILES[name as keyof typeof FILES]));
    }
    const row = await d.row((x) => x.path === '/exact512.bin');
    // 8 full blocks and the empty 9th that ends it (RFC 1350 §6).
    expect(row).toMatchObject({ outcome: 'served', bytes: 4096, delivered: true });
    expect(row.detail).toMatchObject({ blksize: 512, windowsize: 1, options: {} });
  });

  it('atftp negotiates blksize 1468, tsize and windowsize 16', async () => {
    const opts = ['blksize 1468', 'tsize 0', 'windowsize 16'];
    for (const name of ['exact.bin', 'fw/mid.bin']) {
      const target = local(`atftp-${name.replace('/', '_')}`);
      const r = await atftpGet('127.0.0.1', d.tftpPort, name, target, opts);
      expect(r.code, r.stderr).toBe(0);
      expect(md5(readFileSync(target))).toBe(md5(FILES[name as keyof typeof FILES]));
    }
    const row = await d.row((x) => x.path === '/fw/mid.bin');
    expect(row).toMatchObject({ outcome: 'served', bytes: 300_000, md5: md5(FILES['fw/mid.bin']) });
    expect(row.detail).toMatchObject({ options: { blksize: '1468', tsize: '300000', windowsize: '16' }, windowsize: 16 });
  });

  it('clamps a blksize above the maximum and windowsize above the cap', async () => {
    const target = local('clamped');
    const r = await atftpGet('127.0.0.1', d.tftpPort, 'fw/mid.bin', target, ['blksize 9000', 'windowsize 200']);
    expect(r.code, r.stderr).toBe(0);
    expect(md5(readFileSync(target))).toBe(md5(FILES['fw/mid.bin']));
    const rows = (await d.ledger()).filter((x) => x.path === '/fw/mid.bin');
    expect(rows[0]!.detail).toMatchObject({ options: { blksize: '1468', windowsize: '64' } });
  });

  it('serves over IPv6 (curl and tftp-hpa to ::1)', async () => {
    expect((await curlGet('::1', d.tftpPort, 'small.bin', local('v6-curl'), 1024)).code).toBe(0);
    expect(md5(readFileSync(local('v6-curl')))).toBe(md5(FILES['small.bin']));
    const r = await hpaGet('::1', d.tftpPort, 'exact.bin', local('v6-hpa'));
    expect(r.stdout + r.stderr).not.toMatch(/Error/);
    expect(md5(readFileSync(local('v6-hpa')))).toBe(md5(FILES['exact.bin']));
    const row = await d.row((x) => x.path === '/exact.bin' && x.peerAddress === '::1');
    expect(row.outcome).toBe('served');
  });

  it('a 64 MB file at blksize 512 rolls the block number over and arrives whole', async () => {
    const target = local('big');
    const r = await curlGet('127.0.0.1', d.tftpPort, 'fw/big.bin', target, 512);
    expect(r.code, r.stderr).toBe(0);
    const got = readFileSync(target);
    expect(got.length).toBe(BIG);
    expect(md5(got)).toBe(md5(readFileSync(join(d.dir, 'root', 'fw', 'big.bin'))));
    const row = await d.row((x) => x.path === '/fw/big.bin');
    expect(row).toMatchObject({ outcome: 'served', bytes: BIG, delivered: true });
    expect(row.detail).toMatchObject({ blksize: 512 });
  }, 240_000);

  it('a missing file is ERROR 1 and a not_found record', async () => {
    const r = await hpaGet('127.0.0.1', d.tftpPort, 'nope.cfg', local('nope'));
    expect(r.stdout + r.stderr).toMatch(/Error code 1: File not found/);
    expect((await curlGet('127.0.0.1', d.tftpPort, 'nope2.cfg', local('nope2'))).code).toBe(68);
    const row = await d.row((x) => x.path === '/nope.cfg');
    expect(row).toMatchObject({ outcome: 'not_found', reason: 'no_such_file', status: 1, bytes: 0 });
  });

  it('traversal is ERROR 1, a security log line and a denied record', async () => {
    const r = await hpaGet('127.0.0.1', d.tftpPort, '../../../etc/passwd', local('trav'));
    expect(r.stdout + r.stderr).toMatch(/Error code 1: File not found/);
    const r2 = await atftpGet('127.0.0.1', d.tftpPort, 'fw\\..\\..\\x', local('trav2'));
    expect(r2.code).not.toBe(0);
    const row = await d.row((x) => x.path === '/../../../etc/passwd');
    expect(row).toMatchObject({ outcome: 'denied', reason: 'bad_path', status: 1 });
    await d.row((x) => x.path === '/fw\\..\\..\\x' && x.outcome === 'denied');
    const line = await d.waitForLog((l) => l.channel === 'security' && l.path === '/../../../etc/passwd');
    expect(line.msg).toBe('denied');
  });

  it('WRQ is refused by default with ERROR 2 and a denied record', async () => {
    const file = local('up.cfg');
    writeFileSync(file, 'x=1\n');
    const r = await hpaPut('127.0.0.1', d.tftpPort, file, `${MAC}-local.cfg`);
    expect(r.stdout + r.stderr).toMatch(/Error code 2/);
    const row = await d.row((x) => x.path === `/${MAC}-local.cfg`);
    expect(row).toMatchObject({ outcome: 'denied', reason: 'upload_disabled', status: 2 });
  });
});
