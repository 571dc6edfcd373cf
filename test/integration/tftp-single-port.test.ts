/**
 * Single-port mode (every transfer answered from the listening port, for Docker bridges and
 * NAT), WRQ enabled through the pipeline's upload policy, and a per-client option profile.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atftpGet, atftpPut, curlGet, hpaPut, isData, isError, ScriptedClient } from '../fixtures/tftp/clients.js';
import { md5, patterned, startTftpDaemon, type TftpDaemon } from '../fixtures/tftp/daemon.js';

const MAC = '805ec0d57d72';
const MID = patterned(200_000);
let d: TftpDaemon;
let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'provd-tftp-sp-'));
  d = await startTftpDaemon(
    [
      'tftp:',
      '  enabled: true',
      '  port: 0',
      '  bind: "::"',
      '  single_port: true',
      '  allow_write: true',
      '  profiles:',
      '    - networks: ["::1/128"]',
      '      options: []',
    ].join('\n'),
    { 'mid.bin': MID },
    'uploads:\n  max_bytes: 4096\n',
  );
}, 60_000);
afterAll(async () => {
  await d?.stop();
});

describe('tftp single-port mode', () => {
  it('answers every transfer from the listening port', async () => {
    const c = await ScriptedClient.open();
    try {
      await c.rrq(d.tftpPort, 'mid.bin', { blksize: '1468' });
      const first = await c.next((r) => r.packet !== undefined);
      expect(first.packet?.op).toBe('oack');
      expect(first.from.port).toBe(d.tftpPort);
      // A foreign port is an unknown transfer ID here (RFC 1350 §4), and moves nothing.
      const intruder = await ScriptedClient.open();
      await intruder.ack(0, d.tftpPort);
      expect((await intruder.next(isError)).packet).toMatchObject({ code: 5 });
      intruder.close();
      await c.ack(0, d.tftpPort);
      const d1 = await c.next(isData(1));
      expect(d1.from.port).toBe(d.tftpPort);
      await c.send(Buffer.from([0, 5, 0, 0, 0x78, 0]), d.tftpPort);
    } finally {
      c.close();
    }
    const row = await d.row((x) => x.path === '/mid.bin' && x.outcome === 'aborted');
    expect(row.detail).toMatchObject({ end: 'client_error' });
  });

  it('a client that moves on from the same port gets its next file at once', async () => {
    const c = await ScriptedClient.open();
    try {
      await c.rrq(d.tftpPort, 'mid.bin');
      await c.next(isData(1));
      // No ACK: as if it was lost. The phone asks for its next file from the same port.
      const mark = c.received.length;
      const asked = Date.now();
      await c.rrq(d.tftpPort, `${MAC}.boot`);
      const first = await c.next((r) => r.packet?.op === 'data' && r.raw.length < 516, 3000, mark);
      expect(Date.now() - asked).toBeLessThan(900); // before any retransmission of the old one
      await c.ack(1, d.tftpPort);
      expect((first.packet as { data: Buffer }).data.toString()).toContain('#!version');
    } finally {
      c.close();
    }
    const old = await d.row((x) => x.path === '/mid.bin' && x.outcome === 'aborted' && x.bytes === 0);
    expect(old.detail).toMatchObject({ end: 'client_gone' });
    await d.row((x) => x.path === `/${MAC}.boot` && x.outcome === 'served');
  });

  it('serves curl and atftp (windowsize 16) whole', async () => {
    expect((await curlGet('127.0.0.1', d.tftpPort, 'mid.bin', join(out, 'c'), 1468)).code).toBe(0);
    expect(md5(readFileSync(join(out, 'c')))).toBe(md5(MID));
    const r = await atftpGet('127.0.0.1', d.tftpPort, 'mid.bin', join(out, 'a'), ['blksize 1468', 'windowsize 16', 'tsize 0']);
    expect(r.code, r.stderr).toBe(0);
    expect(md5(readFileSync(join(out, 'a')))).toBe(md5(MID));
  });

  it('a client profile turns options off: plain RFC 1350 for ::1', async () => {
    const c = await ScriptedClient.open('udp6');
    try {
      await c.rrq(d.tftpPort, 'mid.bin', { blksize: '1468', tsize: '0' }, '::1');
      const first = await c.next((r) => r.packet !== undefined);
      expect(first.packet).toMatchObject({ op: 'data', block: 1 });
      expect((first.packet as { data: Buffer }).data).toHaveLength(512);
      await c.send(Buffer.from([0, 5, 0, 0, 0x78, 0]), d.tftpPort, '::1');
    } finally {
      c.close();
    }
    const row = await d.row((x) => x.path === '/mid.bin' && x.peerAddress === '::1');
    expect(row.detail).toMatchObject({ options: {}, ignored: ['blksize', 'tsize'] });
  });

  it('stores a phone\'s own upload atomically through the pipeline (atftp and tftp-hpa)', async () => {
    const body = Buffer.from('# local settings\nlocal.x = 1\n'.repeat(40));
    writeFileSync(join(out, 'up'), body);
    const r = await atftpPut('127.0.0.1', d.tftpPort, join(out, 'up'), `${MAC}-local.cfg`, ['blksize 512', 'tsize 1160']);
    expect(r.code, r.stderr).toBe(0);
    const stored = join(d.dir, 'var', 'uploads', MAC, `${MAC}-local.cfg`);
    expect(md5(readFileSync(stored))).toBe(md5(body));
    const row = await d.row((x) => x.path === `/${MAC}-local.cfg` && x.outcome === 'stored');
    expect(row).toMatchObject({ md5: md5(body), bytes: body.length, file: `${MAC}-local.cfg` });

    const second = Buffer.from('local.y = 2\n');
    writeFileSync(join(out, 'up2'), second);
    const h = await hpaPut('127.0.0.1', d.tftpPort, join(out, 'up2'), `${MAC}-local.cfg`);
    expect(h.stdout + h.stderr).not.toMatch(/Error/);
    expect(readFileSync(stored)).toEqual(second);
  });

  it('refuses names phones do not upload (ERROR 2) and uploads over the cap (ERROR 3), leaving the old file', async () => {
    writeFileSync(join(out, 'x'), 'x');
    const r = await hpaPut('127.0.0.1', d.tftpPort, join(out, 'x'), 'evil.cfg');
    expect(r.stdout + r.stderr).toMatch(/Error code 2/);
    expect(existsSync(join(d.dir, 'root', 'evil.cfg'))).toBe(false);
    await d.row((x) => x.path === '/evil.cfg' && x.outcome === 'denied' && x.reason === 'upload_not_allowed');

    const stored = join(d.dir, 'var', 'uploads', MAC, `${MAC}-local.cfg`);
    const before = readFileSync(stored);
    writeFileSync(join(out, 'big'), patterned(10_000));
    const big = await hpaPut('127.0.0.1', d.tftpPort, join(out, 'big'), `${MAC}-local.cfg`);
    expect(big.stdout + big.stderr).toMatch(/Error code 3/);
    expect(readFileSync(stored)).toEqual(before);
    await d.row((x) => x.path === `/${MAC}-local.cfg` && x.reason === 'upload_too_large');
    // Declared too large up front (tsize): refused before any data moves.
    const declared = await atftpPut('127.0.0.1', d.tftpPort, join(out, 'big'), `${MAC}-local.cfg`, ['tsize 10000']);
    expect(declared.code).not.toBe(0);
    expect(readFileSync(stored)).toEqual(before);
  });
});
