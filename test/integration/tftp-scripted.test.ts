/**
 * TFTP misbehaviour no real client produces on demand, played by a scripted client on a real
 * UDP socket against the running daemon: duplicate ACKs, ACKs from a foreign port, a client that
 * stops acknowledging or vanishes, partial-window ACKs, busy limits, malformed packets, option
 * values that must be ignored, and a secret file denied exactly like a missing one.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeRequest } from '../../src/protocols/tftp/codec.js';
import { hpaGet, isData, isError, isOack, ScriptedClient, sleep, type Received } from '../fixtures/tftp/clients.js';
import { md5, patterned, startTftpDaemon, type TftpDaemon } from '../fixtures/tftp/daemon.js';

const MAC = '805ec0d57d72';
const SMALL = patterned(2000); // blocks 1..4 at 512, the last one 464 bytes
const WINDOWED = patterned(512 * 20 + 100); // 21 blocks

let d: TftpDaemon;
const clients: ScriptedClient[] = [];
const client = async (type: 'udp4' | 'udp6' = 'udp4'): Promise<ScriptedClient> => {
  const c = await ScriptedClient.open(type);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  d = await startTftpDaemon(
    [
      'tftp:',
      '  enabled: true',
      '  port: 0',
      '  max_per_address: 3',
      '  error_replies_per_second: 5',
      '  retransmit:',
      '    initial_ms: 500',
      '    max_ms: 1000',
      '    give_up_ms: 3000',
    ].join('\n'),
    { 'small.bin': SMALL, 'w.bin': WINDOWED },
    'security:\n  secret_files: user-agent-required\n',
  );
}, 60_000);
afterEach(async () => {
  // A transfer left open holds one of the address's slots until it times out: end it the way a
  // client gives up, with an ERROR to the transfer's port.
  for (const c of clients.splice(0)) {
    const ports = new Set(c.received.map((r) => r.from.port).filter((p) => p !== d.tftpPort));
    for (const port of ports) await c.send(Buffer.from([0, 5, 0, 0, 0x78, 0]), port);
    c.close();
  }
  await sleep(50);
});
afterAll(async () => {
  await d?.stop();
});

/** Acknowledges every block as it comes (lockstep) and returns the file and the packets seen. */
async function drain(c: ScriptedClient, first: Received, from = 1, blksize = 512): Promise<Buffer> {
  const parts: Buffer[] = [];
  let r = first;
  for (let block = from; ; block++) {
    const p = r.packet;
    if (p?.op !== 'data') throw new Error(`expected DATA ${block}, got ${p?.op}`);
    parts.push(p.data);
    await c.ack(block, r.from.port);
    if (p.data.length < blksize) return Buffer.concat(parts);
    r = await c.next(isData((block + 1) & 0xffff), 5000, c.received.indexOf(r) + 1);
  }
}

describe('tftp transfer rules (scripted client)', () => {
  it('ignores duplicate ACKs: no DATA is sent in answer to one (no Sorcerer\'s Apprentice)', async () => {
    const c = await client();
    await c.rrq(d.tftpPort, 'small.bin');
    const d1 = await c.next(isData(1));
    const port = d1.from.port;
    expect(port).not.toBe(d.tftpPort); // ephemeral mode: a fresh port per transfer
    await c.ack(1, port);
    await c.ack(1, port);
    await c.ack(1, port);
    await c.next(isData(2));
    await sleep(250); // less than the 500 ms retransmission timeout
    expect(c.received.filter(isData(2))).toHaveLength(1);
    const body = await drain(c, c.received.find(isData(2))!, 2).then((rest) => Buffer.concat([(d1.packet as { data: Buffer }).data, rest]));
    expect(md5(body)).toBe(md5(SMALL));
    const row = await d.row((x) => x.path === '/small.bin' && x.peerPort === c.port);
    expect(row).toMatchObject({ outcome: 'served', bytes: 2000, md5: md5(SMALL), delivered: true });
    expect(row.detail).toMatchObject({ duplicate_acks: 2, retransmissions: 0, end: 'completed' });
  });

  it('an ACK from a foreign port does not move the transfer', async () => {
    const c = await client();
    const intruder = await client();
    await c.rrq(d.tftpPort, 'small.bin');
    const d1 = await c.next(isData(1));
    await intruder.ack(1, d1.from.port);
    await sleep(300);
    expect(c.received.filter(isData(2))).toHaveLength(0);
    await c.ack(1, d1.from.port);
    const rest = await drain(c, await c.next(isData(2)), 2);
    expect(md5(Buffer.concat([(d1.packet as { data: Buffer }).data, rest]))).toBe(md5(SMALL));
    const row = await d.row((x) => x.path === '/small.bin' && x.peerPort === c.port);
    expect(row.outcome).toBe('served');
  });

  it('a client that stops acknowledging is retransmitted to with backoff, then recorded as timed out', async () => {
    const c = await client();
    await c.rrq(d.tftpPort, 'small.bin');
    await c.next(isData(1));
    const row = await d.row((x) => x.path === '/small.bin' && x.peerPort === c.port, 10_000);
    expect(row).toMatchObject({ outcome: 'aborted', bytes: 0, delivered: false });
    expect(row.detail).toMatchObject({ end: 'timed_out' });
    // 500, 1000, 1000 ms: the first block and at least two retransmissions before the 3 s deadline.
    expect(c.received.filter(isData(1)).length).toBeGreaterThanOrEqual(3);
    expect(row.durationMs).toBeGreaterThanOrEqual(2900);
    expect(row.durationMs).toBeLessThan(6000);
  });

  it('a client that vanishes mid-transfer (ICMP port unreachable) ends the transfer, no crash', async () => {
    const c = await ScriptedClient.open();
    await c.rrq(d.tftpPort, 'w.bin');
    const d1 = await c.next(isData(1));
    await c.ack(1, d1.from.port);
    await c.next(isData(2));
    const port = c.port;
    c.close();
    const row = await d.row((x) => x.path === '/w.bin' && x.peerPort === port, 10_000);
    expect(row).toMatchObject({ outcome: 'aborted', bytes: 512 });
    expect(row.detail).toMatchObject({ end: 'client_gone' });
    // The daemon still serves.
    const c2 = await client();
    await c2.rrq(d.tftpPort, 'small.bin');
    await c2.next(isData(1));
  });

  it('a partial-window ACK rewinds the window to the block after it (RFC 7440 §4)', async () => {
    const c = await client();
    await c.rrq(d.tftpPort, 'w.bin', { windowsize: '8' });
    const oack = await c.next(isOack);
    expect(oack.packet).toMatchObject({ options: new Map([['windowsize', '8']]) });
    const port = oack.from.port;
    await c.ack(0, port);
    await c.next(isData(8));
    const mark = c.received.length;
    await c.ack(5, port); // as if 6 was lost
    const next = await c.next((r) => r.packet?.op === 'data', 2000, mark);
    expect(next.packet).toMatchObject({ block: 6 });
    await c.next(isData(13), 2000, mark);
    // Collect the rest window by window, acknowledging each window's last block.
    const blocks = new Map<number, Buffer>();
    for (const r of c.received) if (r.packet?.op === 'data') blocks.set(r.packet.block, r.packet.data);
    let acked = 13;
    await c.ack(13, port);
    while (acked < 21) {
      const last = Math.min(acked + 8, 21);
      await c.next(isData(last), 3000, mark);
      for (const r of c.received) if (r.packet?.op === 'data') blocks.set(r.packet.block, r.packet.data);
      acked = last;
      await c.ack(acked, port);
    }
    const body = Buffer.concat([...Array(21).keys()].map((i) => blocks.get(i + 1)!));
    expect(md5(body)).toBe(md5(WINDOWED));
    const row = await d.row((x) => x.path === '/w.bin' && x.peerPort === c.port);
    expect(row).toMatchObject({ outcome: 'served', bytes: WINDOWED.length });
  });

  it('an OACK whose ACK 0 was lost is sent again from the same port, and the transfer goes on', async () => {
    const c = await client();
    await c.rrq(d.tftpPort, 'small.bin', { blksize: '1024' });
    const first = await c.next(isOack);
    // No ACK 0, as if it was lost: the server must repeat the OACK, not start sending DATA.
    const again = await c.next(isOack, 2000, c.received.indexOf(first) + 1);
    expect(again.from.port).toBe(first.from.port);
    expect(again.raw.equals(first.raw)).toBe(true);
    expect(c.received.filter((r) => r.packet?.op === 'data')).toHaveLength(0);
    await c.ack(0, first.from.port);
    const rest = await drain(c, await c.next(isData(1), 2000, c.received.indexOf(again) + 1), 1, 1024);
    expect(md5(rest)).toBe(md5(SMALL));
    const row = await d.row((x) => x.path === '/small.bin' && x.peerPort === c.port);
    expect(row).toMatchObject({ outcome: 'served', bytes: SMALL.length });
    expect(row.detail).toMatchObject({ retransmissions: 1, end: 'completed' });
  });

  it('answers ERROR 0 busy past the per-address limit, and records it', async () => {
    const holders = await Promise.all([client(), client(), client()]);
    for (const h of holders) await h.rrq(d.tftpPort, 'small.bin');
    await Promise.all(holders.map((h) => h.next(isData(1))));
    const extra = await client();
    await extra.rrq(d.tftpPort, 'small.bin');
    const err = await extra.next(isError);
    expect(err.packet).toMatchObject({ op: 'error', code: 0, message: 'server busy, try again later' });
    const row = await d.row((x) => x.path === '/small.bin' && x.peerPort === extra.port);
    expect(row).toMatchObject({ outcome: 'failed', reason: 'busy', status: 0 });
    // Free the slots for the next tests: each holder says it gives up.
    for (const h of holders) await h.send(Buffer.from([0, 5, 0, 0, 0x78, 0]), h.received[0]!.from.port);
    await d.row((x) => x.peerPort === holders[2]!.port && x.outcome === 'aborted');
  });

  it('answers malformed packets with a rate-limited ERROR 4, drops what has no answer, keeps serving', async () => {
    const c = await client();
    await c.send(Buffer.alloc(0), d.tftpPort);
    await c.send(Buffer.from([0]), d.tftpPort);
    await c.send(Buffer.from([0, 5, 0, 1, 0x61]), d.tftpPort); // an ERROR: never answered
    await sleep(200);
    expect(c.received).toHaveLength(0);
    for (let i = 0; i < 40; i++) await c.send(Buffer.from([0, 42, 1, 2, 3]), d.tftpPort);
    await sleep(300);
    const errors = c.received.filter(isError);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors.length).toBeLessThanOrEqual(12);
    expect(errors[0]!.packet).toMatchObject({ code: 4 });

    const m = await client();
    await m.send(Buffer.from('\0\x01x.cfg\0mail\0', 'latin1'), d.tftpPort);
    expect((await m.next(isError)).packet).toMatchObject({ code: 4 });
    const row = await d.row((x) => x.path === '/x.cfg' && x.peerPort === m.port);
    expect(row).toMatchObject({ outcome: 'denied', reason: 'malformed_bad_mode', status: 4 });

    const ok = await client();
    await ok.rrq(d.tftpPort, 'small.bin');
    await ok.next(isData(1));
  });

  it('ignores unknown options and absurd values; answers with what it grants', async () => {
    const c = await client();
    await c.send(
      encodeRequest({ op: 'rrq', filename: 'small.bin', mode: 'octet', options: new Map([['grandstream_mac', '000b82aabbcc'], ['blksize', '1024']]) }),
      d.tftpPort,
    );
    expect((await c.next(isOack)).packet).toMatchObject({ options: new Map([['blksize', '1024']]) });
    const c2 = await client();
    await c2.rrq(d.tftpPort, 'small.bin', { blksize: 'abc', timeout: '0', windowsize: '-3' });
    const first = await c2.next((r) => r.packet !== undefined);
    expect(first.packet).toMatchObject({ op: 'data', block: 1 });
    expect((first.packet as { data: Buffer }).data).toHaveLength(512);
  });

  it('a secret file the policy denies is answered exactly like a missing file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'provd-tftp-secret-'));
    const secret = await hpaGet('127.0.0.1', d.tftpPort, `${MAC}.cfg`, join(out, 'a'));
    const missing = await hpaGet('127.0.0.1', d.tftpPort, '001565000000.cfg', join(out, 'b'));
    expect(secret.stdout + secret.stderr).toMatch(/Error code 1: File not found/);
    expect(secret.stdout + secret.stderr).toBe(missing.stdout + missing.stderr);
    expect(readFileSync(join(out, 'a')).length).toBe(0);
    const row = await d.row((x) => x.path === `/${MAC}.cfg`);
    expect(row).toMatchObject({ outcome: 'denied', reason: 'user_agent_mismatch', status: 1, bytes: 0 });
  });
});
