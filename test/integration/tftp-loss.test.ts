/**
 * TFTP under packet loss: the clients run in a network namespace this test creates (veth to the
 * host). nftables drops 5% of the UDP packets on the namespace's input hook (DATA and OACK lost)
 * and 5% of those arriving from the veth on the host's input hook (ACKs lost), in a table of
 * its own that matches only this test's interface. (Dropping on the namespace's output hook
 * instead would fail the clients' sendto with EPERM, which is not loss.) Every transfer must
 * still deliver the right bytes, with the retransmissions in the ledger. (`tc netem` is not
 * available on these machines.)
 *
 * ACK 0 is the one packet never dropped: when it is lost the server rightly sends its OACK again,
 * and atftp 0.8 aborts on a second OACK ("unexpected OACK", ERROR 0) instead of re-acknowledging
 * it, so a lost ACK 0 fails atftp whatever the server does. tftp-scripted.test.ts covers the
 * server's side of a lost ACK 0 deterministically.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atftpGet, curlGet, hpaGet } from '../fixtures/tftp/clients.js';
import { md5, patterned, startTftpDaemon, type TftpDaemon } from '../fixtures/tftp/daemon.js';
import { eventually } from './daemon-harness.js';

const ID = process.pid % 100_000;
const NS = `tftp-loss-${ID}`;
const HOST_IF = `tftp-h${ID}`;
const NS_IF = `tftp-n${ID}`;
const SUBNET = `10.144.${ID % 250}`;
const HOST_IP = `${SUBNET}.1`;
const NS_IP = `${SUBNET}.2`;
const FILE = patterned(100_000);
const SMALL = patterned(20_000);
const HOST_TABLE = `tftp_loss_${ID}`;

const sh = (...args: string[]): void => {
  execFileSync(args[0]!, args.slice(1), { stdio: 'pipe' });
};
const inNs = (...args: string[]): void => sh('ip', 'netns', 'exec', NS, ...args);

let d: TftpDaemon;
let out: string;

function teardownNetwork(): void {
  for (const cmd of [['ip', 'netns', 'del', NS], ['ip', 'link', 'del', HOST_IF], ['nft', 'delete', 'table', 'inet', HOST_TABLE]]) {
    try {
      sh(...cmd);
    } catch {
      // already gone
    }
  }
}

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'provd-tftp-loss-'));
  teardownNetwork();
  sh('ip', 'netns', 'add', NS);
  sh('ip', 'link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NS_IF);
  sh('ip', 'link', 'set', NS_IF, 'netns', NS);
  sh('ip', 'addr', 'add', `${HOST_IP}/30`, 'dev', HOST_IF);
  sh('ip', 'link', 'set', HOST_IF, 'up');
  inNs('ip', 'addr', 'add', `${NS_IP}/30`, 'dev', NS_IF);
  inNs('ip', 'link', 'set', NS_IF, 'up');
  inNs('ip', 'link', 'set', 'lo', 'up');
  inNs(
    'nft',
    [
      'add table inet tftp_loss',
      'add chain inet tftp_loss in { type filter hook input priority 0 ; }',
      'add rule inet tftp_loss in meta l4proto udp numgen random mod 100 < 5 drop',
    ].join(' ; '),
  );
  sh(
    'nft',
    [
      `add table inet ${HOST_TABLE}`,
      `add chain inet ${HOST_TABLE} in { type filter hook input priority 0 ; }`,
      // The first 4 bytes of the UDP payload (@th,64,32) are 0x00040000 only in ACK 0.
      `add rule inet ${HOST_TABLE} in iifname "${HOST_IF}" meta l4proto udp @th,64,32 != 0x00040000 numgen random mod 100 < 5 drop`,
    ].join(' ; '),
  );
  d = await startTftpDaemon(
    ['tftp:', '  enabled: true', '  port: 0', '  retransmit:', '    initial_ms: 200', '    max_ms: 1000', '    give_up_ms: 15000'].join('\n'),
    { 'fw.bin': FILE, 'small.bin': SMALL },
  );
}, 60_000);

afterAll(async () => {
  await d?.stop();
  teardownNetwork();
});

describe('tftp under 5% packet loss each way', () => {
  it('the namespace really drops packets', () => {
    const rules = execFileSync('ip', ['netns', 'exec', NS, 'nft', 'list', 'table', 'inet', 'tftp_loss']).toString();
    expect(rules).toMatch(/numgen random mod 100 < 5 drop/);
    const hostRules = execFileSync('nft', ['list', 'table', 'inet', HOST_TABLE]).toString();
    expect(hostRules).toMatch(/numgen random mod 100 < 5 drop/);
  });

  it('tftp-hpa (lockstep), atftp (windowsize 16) and curl all complete with the right bytes', async () => {
    const runs: { client: string; ok: boolean }[] = [];
    const check = (client: string, file: string, want: Buffer): void => {
      let ok = false;
      try {
        ok = md5(readFileSync(file)) === md5(want);
      } catch {
        // no file: the client failed
      }
      runs.push({ client, ok });
    };
    for (let i = 0; i < 3; i++) {
      const a = join(out, `hpa-${i}`);
      await hpaGet(HOST_IP, d.tftpPort, 'fw.bin', a, NS);
      check('tftp-hpa', a, FILE);
      const b = join(out, `atftp-${i}`);
      await atftpGet(HOST_IP, d.tftpPort, 'fw.bin', b, ['blksize 1468', 'windowsize 16', 'tsize 0'], NS);
      check('atftp', b, FILE);
    }
    // curl asks for `timeout 6`, which RFC 2349 makes the server's retransmission timeout, so
    // each loss costs it 6 s: a smaller file keeps the test short.
    for (let i = 0; i < 2; i++) {
      const c = join(out, `curl-${i}`);
      await curlGet(HOST_IP, d.tftpPort, 'small.bin', c, 1468, NS);
      check('curl', c, SMALL);
    }
    expect(runs.filter((r) => !r.ok)).toEqual([]);
    // A transfer whose final ACK was lost ends only when the server hears the client is gone.
    const rows = await eventually(async () => {
      const all = (await d.ledger()).filter((r) => r.peerAddress === NS_IP);
      return all.length >= 8 ? all : undefined;
    }, 20_000);
    const retransmissions = rows.reduce((n, r) => n + Number(r.detail?.retransmissions ?? 0), 0);
    // 8 transfers of 15-200 packets each way at 5% loss: retransmissions are certain.
    expect(retransmissions).toBeGreaterThan(5);
    // A lost final ACK leaves the server unsure the client got the last block; it says so.
    const unconfirmed = rows.filter((r) => r.outcome !== 'served');
    for (const r of unconfirmed) expect(r.detail).toMatchObject({ end: 'client_gone', last_block_sent: true });
    expect(unconfirmed.length).toBeLessThan(rows.length / 2);
  }, 240_000);
});
