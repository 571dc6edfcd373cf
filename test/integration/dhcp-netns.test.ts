/**
 * The DHCP helper against real clients (busybox udhcpc, ISC dhclient, dnsmasq as the site's
 * server) in network namespaces this test creates: one server namespace with a bridge, and client
 * namespaces each joined to it by a veth pair, i.e. several phones on one link.
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientPacket, replyOptions, yiaddrOf } from '../fixtures/dhcp/client-packet.js';
import { REPO, startDaemon, type Daemon } from './daemon-harness.js';

const execFileP = promisify(execFile);
const isRoot = process.getuid?.() === 0;
const ID = `dhcp-${process.pid}`;
const SERVER_NS = `${ID}-s`;
const SERVER_IP = '10.77.1.1';
const SECOND_IP = '10.77.1.2';
const UDP_CLIENT = join(REPO, 'test', 'fixtures', 'dhcp', 'udp-client.mjs');
const POLYCOM_VCI = Buffer.concat([
  Buffer.from([0x00, 0x00, 0x36, 0x3d, 0x21, 0x01, 0x07]), Buffer.from('Polycom'),
  Buffer.from([0x02, 0x15]), Buffer.from('SoundPointIP-SPIP_601'), Buffer.from([0xff]),
]);
const work = mkdtempSync(join(tmpdir(), 'provd-dhcp-'));

async function ip(...args: string[]): Promise<void> {
  await execFileP('ip', args);
}

/** A client namespace on the server's bridge, its interface `eth0` carrying `mac`. */
async function addClient(name: string, mac: string): Promise<string> {
  const ns = `${ID}-${name}`;
  await ip('netns', 'add', ns);
  await ip('link', 'add', `p-${name}`, 'netns', SERVER_NS, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
  await ip('-n', SERVER_NS, 'link', 'set', `p-${name}`, 'master', 'br0', 'up');
  await ip('-n', ns, 'link', 'set', 'eth0', 'address', mac);
  await ip('-n', ns, 'link', 'set', 'eth0', 'up');
  await ip('-n', ns, 'link', 'set', 'lo', 'up');
  return ns;
}

const namespaces: string[] = [];

async function client(name: string, mac: string): Promise<string> {
  const ns = await addClient(name, mac);
  namespaces.push(ns);
  return ns;
}

/** busybox udhcpc: the environment its script saw on `bound`, or undefined without a lease. */
async function udhcpc(ns: string, args: readonly string[]): Promise<Record<string, string> | undefined> {
  const out = join(work, `udhcpc-${ns}-${Date.now()}.env`);
  const script = join(work, 'udhcpc.sh');
  writeFileSync(script, '#!/bin/sh\n[ "$1" = bound ] && env > "$OUT"\nexit 0\n');
  chmodSync(script, 0o755);
  await execFileP('ip', ['netns', 'exec', ns, 'env', `OUT=${out}`, 'busybox', 'udhcpc', '-i', 'eth0', '-f', '-q', '-n', '-t', '4', '-T', '1', '-s', script, ...args], { timeout: 20_000 })
    .catch(() => undefined);
  return existsSync(out) ? parseEnv(readFileSync(out, 'utf8')) : undefined;
}

/** ISC dhclient with `conf` as dhclient.conf: the environment of its script on BOUND. */
async function dhclient(ns: string, conf: string): Promise<Record<string, string> | undefined> {
  const tag = `${ns}-${Date.now()}`;
  const out = join(work, `dhclient-${tag}.env`);
  // dhclient gives its script a fresh environment, so the output path is written into the script.
  const script = join(work, `dhclient-${tag}.sh`);
  writeFileSync(script, `#!/bin/sh\ncase "$reason" in BOUND|REBOOT) env > '${out}';; esac\nexit 0\n`);
  chmodSync(script, 0o755);
  const cf = join(work, `dhclient-${tag}.conf`);
  writeFileSync(cf, conf);
  // Foreground (-d), so this test owns the process and stops it itself once the lease is bound
  // (ip netns exec execs dhclient: the child's pid is dhclient's).
  const child = spawn('ip', ['netns', 'exec', ns, 'dhclient', '-d', '-1', '-sf', script, '-cf', cf,
    '-lf', join(work, `dhclient-${tag}.leases`), '-pf', join(work, `dhclient-${tag}.pid`), 'eth0'], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 20_000;
  while (!existsSync(out) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (child.exitCode === null) child.kill('SIGTERM');
  await exited;
  // dhclient shell-escapes values (`\$PN`); undo that to compare the bytes sent.
  return existsSync(out) ? parseEnv(readFileSync(out, 'utf8').replace(/\\(.)/g, '$1')) : undefined;
}

function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) env[line.slice(0, i)] = line.slice(i + 1);
  }
  return env;
}

interface Reply { from: string; ms: number; bytes: Buffer }

/** Sends one scripted datagram from `ns` (port 68) and collects every reply for `ms`. */
async function scripted(ns: string, to: string, packet: Buffer, ms = 1500): Promise<Reply[]> {
  const { stdout } = await execFileP('ip', ['netns', 'exec', ns, process.execPath, UDP_CLIENT, to, '67', packet.toString('hex'), String(ms)]);
  return (JSON.parse(stdout) as { from: string; ms: number; hex: string }[]).map((r) => ({ from: r.from, ms: r.ms, bytes: Buffer.from(r.hex, 'hex') }));
}

function dhcpConfig(lines: string): string {
  return `dhcp:\n  enabled: true\n  port: 67\n  broadcast_address: 10.77.1.255\n${lines}`;
}

const RULES = [
  '  rules:',
  '    - vendor: yealink',
  '      vendor_class: { value: "hex:00:00:36:3d", at: prefix }',
  '      url: "http://10.77.1.1/polycom/"',
  '      options:',
  '        - { code: 160, type: string, value: "http://10.77.1.1/polycom/" }',
  '    - vendor: yealink',
  '      vendor_class: { value: "CP-7841-3PCC\\\\0", at: suffix }',
  '      url: "http://10.77.1.1/cisco/"',
  '      options:',
  '        - { code: 150, type: ipv4, value: [10.77.1.1] }',
  '        - { code: 160, type: string, value: "http://10.77.1.1/cisco/" }',
].join('\n');

describe.skipIf(!isRoot)('DHCP helper in network namespaces', () => {
  let daemon: Daemon | undefined;

  beforeAll(async () => {
    await ip('netns', 'add', SERVER_NS);
    namespaces.push(SERVER_NS);
    await ip('-n', SERVER_NS, 'link', 'add', 'br0', 'type', 'bridge');
    await ip('-n', SERVER_NS, 'addr', 'add', `${SERVER_IP}/24`, 'dev', 'br0');
    await ip('-n', SERVER_NS, 'addr', 'add', `${SECOND_IP}/24`, 'dev', 'br0');
    await ip('-n', SERVER_NS, 'link', 'set', 'br0', 'up');
    await ip('-n', SERVER_NS, 'link', 'set', 'lo', 'up');
  });

  afterAll(async () => {
    await daemon?.stop();
    // Deleting a namespace removes the veth ends inside it.
    for (const ns of namespaces.reverse()) await ip('netns', 'del', ns).catch(() => undefined);
  });

  it('server mode: two vendors on one link get different answers; inventory reservation; leases survive a restart', async () => {
    const yealink = await client('yl', '00:15:65:aa:00:01');
    const polycom = await client('pc', '00:04:f2:aa:00:02');
    const config = dhcpConfig(`  mode: server\n${RULES}\n  server:\n    pool_start: 10.77.1.100\n    pool_end: 10.77.1.102\n    routers: [10.77.1.1]\n    dns: [10.77.1.1]\n    lease_seconds: 3600\n`);
    // The Yealink's inventory entry fixes its address (a reservation outside the pool).
    const inventory = (dir: string) => writeFileSync(join(dir, 'inventory', 'devices-dhcp.yaml'),
      'devices:\n  - mac: "00:15:65:aa:00:01"\n    model: T46U\n    ip: 10.77.1.20\n    accounts:\n      - { line: 1, user: "100", password: "x", registrar: pbx.example }\n');
    daemon = await startDaemon({ netns: SERVER_NS, publicHost: SERVER_IP, extraConfig: config, prepare: inventory });
    await daemon.waitForLog((l) => l.msg === 'listening' && l.protocol === 'dhcp');

    // dhclient as a Yealink: vendor class "yealink", asking for 66, 43, 150, 160.
    const yl = await dhclient(yealink, [
      'option provd-150 code 150 = array of ip-address;',
      'option provd-160 code 160 = text;',
      'send vendor-class-identifier "yealink";',
      'request subnet-mask, routers, domain-name-servers, tftp-server-name, vendor-encapsulated-options, provd-150, provd-160;',
      '',
    ].join('\n'));
    expect(yl).toBeDefined();
    expect(yl!.new_ip_address).toBe('10.77.1.20');
    expect(yl!.new_routers).toBe('10.77.1.1');
    expect(yl!.new_dhcp_lease_time).toBe('3600');
    expect(yl!.new_tftp_server_name).toBe(`http://10.77.1.1:${daemon.port}/$PN/`);
    expect(yl!.new_provd_160).toBeUndefined();
    expect(yl!.new_provd_150).toBeUndefined();

    // udhcpc as a Polycom: binary option 60 (enterprise 13885 + TLVs), asking for 66, 43, 150, 160.
    const pc = await udhcpc(polycom, ['-V', '', '-x', `0x3c:${POLYCOM_VCI.toString('hex')}`, '-O', '66', '-O', '43', '-O', '150', '-O', '160']);
    expect(pc).toBeDefined();
    expect(pc!.ip).toBe('10.77.1.100');
    expect(pc!.opt160).toBe(Buffer.from('http://10.77.1.1/polycom/').toString('hex'));
    // busybox refuses a URL in 66 as a "bad" host name: the value provd sent is a URL.
    expect(pc!.tftp).toBe('bad');

    const saved = readFileSync(join(daemon.dir, 'var', 'dhcp-leases.json'), 'utf8');
    const leases = JSON.parse(saved) as { mac: string; ip: string }[];
    expect(leases.map((l) => `${l.mac}=${l.ip}`).sort()).toEqual(['0004f2aa0002=10.77.1.100', '001565aa0001=10.77.1.20']);

    // Restart with the same state folder contents: both leases are honoured, a new phone gets the last address.
    await daemon.stop();
    daemon = await startDaemon({
      netns: SERVER_NS, publicHost: SERVER_IP, extraConfig: config,
      prepare: (dir) => {
        inventory(dir);
        mkdirSync(join(dir, 'var'), { recursive: true });
        writeFileSync(join(dir, 'var', 'dhcp-leases.json'), saved);
      },
    });
    await daemon.waitForLog((l) => l.msg === 'listening' && l.protocol === 'dhcp');
    const cisco = await client('cs', '00:26:99:aa:00:03');
    const cs = await udhcpc(cisco, ['-V', 'Cisco Systems, Inc. IP Phone CP-7841-3PCC', '-x', '0x3c:' + Buffer.from('Cisco Systems, Inc. IP Phone CP-7841-3PCC\0').toString('hex'), '-O', '150', '-O', '160']);
    expect(cs?.ip).toBe('10.77.1.101');
    expect(cs!.opt150).toBe('0a4d0101');
    expect(cs!.opt160).toBe(Buffer.from('http://10.77.1.1/cisco/').toString('hex'));
    const again = await udhcpc(polycom, ['-V', '', '-x', `0x3c:${POLYCOM_VCI.toString('hex')}`, '-O', '160']);
    expect(again?.ip).toBe('10.77.1.100');
    const fourth = await client('x4', '02:00:00:aa:00:04');
    const plain = await udhcpc(fourth, ['-t', '2']);
    expect(plain?.ip).toBe('10.77.1.102');
    // A phone matching no rule still gets an address in server mode, but no provisioning options.
    expect(plain?.tftp).toBeUndefined();
    // The pool (3 addresses) is full: a fifth client gets no lease at all, never a leased address.
    const fifth = await client('x5', '02:00:00:aa:00:05');
    expect(await udhcpc(fifth, ['-t', '2'])).toBeUndefined();
    await daemon.stop();
    daemon = undefined;
  }, 120_000);

  it('inform mode: a scripted INFORM gets an ACK with the options only; DISCOVER is ignored; the lease names the device', async () => {
    const phone = await client('in', '00:15:65:aa:00:10');
    await ip('-n', phone, 'addr', 'add', '10.77.1.50/24', 'dev', 'eth0');
    daemon = await startDaemon({ netns: SERVER_NS, publicHost: SERVER_IP, extraConfig: `security:\n  secret_files: lease\n${dhcpConfig(`  mode: inform\n${RULES}\n`)}` });
    await daemon.waitForLog((l) => l.msg === 'listening' && l.protocol === 'dhcp');
    const inform = clientPacket({ type: 8, mac: '00:15:65:aa:00:10', ciaddr: '10.77.1.50', options: [[60, Buffer.from('yealink')], [55, Buffer.from([66, 43, 150, 160])]] });
    const replies = await scripted(phone, SERVER_IP, inform, 1000);
    expect(replies).toHaveLength(1);
    const opts = replyOptions(replies[0]!.bytes);
    expect(opts.get(53)).toEqual(Buffer.from([5]));
    expect(opts.get(54)).toEqual(Buffer.from([10, 77, 1, 1]));
    expect(opts.get(66)?.toString()).toBe(`http://10.77.1.1:${daemon.port}/$PN/`);
    expect(opts.has(51)).toBe(false);
    expect(yiaddrOf(replies[0]!.bytes)).toBe('0.0.0.0');
    // A DISCOVER and a malformed packet get nothing; the daemon keeps answering.
    expect(await scripted(phone, '10.77.1.255', clientPacket({ type: 1, mac: '00:15:65:aa:00:10' }), 800)).toEqual([]);
    expect(await scripted(phone, SERVER_IP, inform.subarray(0, 100), 300)).toEqual([]);
    expect(await scripted(phone, SERVER_IP, clientPacket({ type: 8, mac: '00:15:65:aa:00:10', ciaddr: '10.77.1.50', giaddr: '10.0.0.1' }), 300)).toEqual([]);
    expect(await scripted(phone, SERVER_IP, inform, 800)).toHaveLength(1);
    // The INFORM's ciaddr is a lease: a fetch from 10.77.1.50 naming no MAC is tied to this phone.
    await execFileP('ip', ['netns', 'exec', phone, 'curl', '-s', '-o', '/dev/null', '-A', 'curl-no-mac', `http://${SERVER_IP}:${daemon.port}/y000000000000.boot`]);
    const fetched = await daemon.waitForLog((l) => l.channel === 'fetch' && l.peer === '10.77.1.50');
    expect(fetched.mac).toBe('001565aa0010');
    // A phone the rules and OUI tables do not know gets nothing (its binding is still learned).
    expect(await scripted(phone, SERVER_IP, clientPacket({ type: 8, mac: '02:00:00:aa:00:10', ciaddr: '10.77.1.50' }), 800)).toEqual([]);
    await execFileP('ip', ['netns', 'exec', phone, 'curl', '-s', '-o', '/dev/null', '-A', 'curl-no-mac', `http://${SERVER_IP}:${daemon.port}/y000000000000.cfg`]);
    const second = await daemon.waitForLog((l) => l.channel === 'fetch' && l.peer === '10.77.1.50' && l !== fetched);
    expect(second.mac).toBe('020000aa0010');

    // secret_files: lease: the T46U's own file goes to 10.77.1.50 only once that phone INFORMed from it.
    const status = async () => (await execFileP('ip', ['netns', 'exec', phone, 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', `http://${SERVER_IP}:${daemon!.port}/805ec0d57d72.cfg`])).stdout;
    expect(await status()).toBe('404');
    expect(await scripted(phone, SERVER_IP, clientPacket({ type: 8, mac: '80:5e:c0:d5:7d:72', ciaddr: '10.77.1.50' }), 800)).toHaveLength(1);
    expect(await status()).toBe('200');
    await daemon.stop();
    // Each bad packet was counted by its reason.
    const stopped = daemon.logs.find((l) => l.msg === 'DHCP helper stopped');
    expect(stopped?.counters).toMatchObject({ 'dropped:truncated': 1, 'dropped:relayed': 1, answered: 3, silent: 2 });
    daemon = undefined;
  }, 60_000);

  it('proxy mode next to dnsmasq: the address comes from dnsmasq, provd adds an options-only OFFER after it', async () => {
    const phone = await client('px', '00:15:65:aa:00:20');
    const dnsmasqPid = join(work, 'dnsmasq.pid');
    await execFileP('ip', ['netns', 'exec', SERVER_NS, 'dnsmasq', '--port=0', '--interface=br0', '--bind-interfaces', '--dhcp-range=10.77.1.150,10.77.1.160',
      `--dhcp-leasefile=${join(work, 'dnsmasq.leases')}`, `--pid-file=${dnsmasqPid}`, '--no-ping', '--log-dhcp', `--log-facility=${join(work, 'dnsmasq.log')}`]);
    try {
      daemon = await startDaemon({ netns: SERVER_NS, publicHost: SERVER_IP, extraConfig: dhcpConfig(`  mode: proxy\n  server_address: ${SECOND_IP}\n  proxy_delay_ms: 300\n`) });
      await daemon.waitForLog((l) => l.msg === 'listening' && l.protocol === 'dhcp');
      await ip('-n', phone, 'addr', 'add', '10.77.1.60/24', 'dev', 'eth0');
      // The broadcast flag (RFC 2131 §4.1) makes dnsmasq broadcast too: this client has no offered address to unicast to.
      const replies = await scripted(phone, '10.77.1.255', clientPacket({ type: 1, mac: '00:15:65:aa:00:20', flags: 0x8000, options: [[60, Buffer.from('yealink')], [55, Buffer.from([1, 3, 66])]] }), 2000);
      const offers = replies.map((r) => ({ id: [...replyOptions(r.bytes).get(54)!].join('.'), yiaddr: yiaddrOf(r.bytes), opts: replyOptions(r.bytes), ms: r.ms }));
      expect(offers.map((o) => o.id)).toEqual([SERVER_IP, SECOND_IP]);
      expect(offers[0]!.yiaddr).toMatch(/^10\.77\.1\.1[56]\d$/);
      expect(offers[1]!.yiaddr).toBe('0.0.0.0');
      expect(offers[1]!.opts.get(66)?.toString()).toBe(`http://10.77.1.1:${daemon.port}/$PN/`);
      expect(offers[1]!.opts.has(51)).toBe(false);
      await ip('-n', phone, 'addr', 'flush', 'dev', 'eth0');
      // udhcpc takes the first OFFER: it still gets its address from dnsmasq.
      const lease = await udhcpc(phone, ['-V', 'yealink', '-O', '66']);
      expect(lease?.ip).toMatch(/^10\.77\.1\.1[56]\d$/);
      expect(lease?.serverid).toBe(SERVER_IP);
      await daemon.stop();
      daemon = undefined;
    } finally {
      if (existsSync(dnsmasqPid)) process.kill(Number(readFileSync(dnsmasqPid, 'utf8').trim()), 'SIGTERM');
    }
  }, 60_000);
});
