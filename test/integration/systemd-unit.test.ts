/**
 * The shipped systemd unit: it verifies, its hardening score is what the docs say, and the daemon
 * runs under the unit's constraints as far as they can be reproduced without systemd as PID 1: an
 * unprivileged user whose only capability is CAP_NET_BIND_SERVICE, started with the unit's node
 * flags and environment, binds every standard port (80, 443, 69/udp, 21, 67/udp; in a network
 * namespace of the test's own, so nothing on the machine's ports is touched) and answers on each
 * with a real client, the unit's readiness command returns only once the daemon is ready, and
 * without the capability each of those binds fails.
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientPacket, replyOptions } from '../fixtures/dhcp/client-packet.js';
import { BIN, REPO } from './daemon-harness.js';

const run = promisify(execFile);
const UNIT = join(REPO, 'systemd', 'provd.service');
const NOBODY = 65534;
const NETNS = `packaging-${process.pid}`;

/** The unit's value of `key` (the first one when it repeats). */
function unitValue(key: string): string {
  const line = readFileSync(UNIT, 'utf8').split('\n').find((l) => l.startsWith(`${key}=`));
  if (!line) throw new Error(`${key}= not in the unit`);
  return line.slice(key.length + 1);
}

/** The unit as systemd-analyze can check it here: provd itself is not installed in /usr/bin. */
function unitForThisCheckout(dir: string): string {
  const file = join(dir, 'provd.service');
  writeFileSync(file, readFileSync(UNIT, 'utf8').replaceAll('/usr/bin/node ', `${process.execPath} `).replaceAll('/usr/bin/provd', BIN));
  return file;
}

/** What ExecStart= puts between `/usr/bin/node` and the program: the V8 flags. */
function unitNodeFlags(): string[] {
  const m = /^\/usr\/bin\/node ((?:--\S+ )*)\/usr\/bin\/provd serve /.exec(unitValue('ExecStart'));
  if (!m) throw new Error(`ExecStart= does not run /usr/bin/node [flags] /usr/bin/provd serve: ${unitValue('ExecStart')}`);
  return m[1]!.trim().split(' ').filter((f) => f !== '');
}

/** The unit's Environment= assignments. */
function unitEnvironment(): Record<string, string> {
  return Object.fromEntries(unitValue('Environment').split(' ').map((kv) => kv.split('=') as [string, string]));
}

describe('systemd unit', () => {
  it('passes systemd-analyze verify', async () => {
    const file = unitForThisCheckout(mkdtempSync(join(tmpdir(), 'provd-unit-')));
    const { stderr } = await run('systemd-analyze', ['verify', '--man=no', file]);
    expect(stderr).toBe('');
  });

  it('scores the exposure level recorded in docs/operations.md', async () => {
    const file = unitForThisCheckout(mkdtempSync(join(tmpdir(), 'provd-unit-')));
    const { stdout } = await run('systemd-analyze', ['security', '--offline=yes', file]);
    const score = /Overall exposure level for provd\.service: ([\d.]+) (\w+)/.exec(stdout);
    expect(score?.[2]).toBe('OK');
    const documented = /systemd-analyze security[^\n]*?: \*\*([\d.]+) OK\*\*/.exec(readFileSync(join(REPO, 'docs', 'operations.md'), 'utf8'));
    expect(documented?.[1]).toBe(score?.[1]);
  });

  it('keeps only the capability to bind low ports, as a dynamic user, with the promised hardening', () => {
    expect(unitValue('AmbientCapabilities')).toBe('CAP_NET_BIND_SERVICE');
    expect(unitValue('CapabilityBoundingSet')).toBe('CAP_NET_BIND_SERVICE');
    for (const [key, value] of [
      ['DynamicUser', 'yes'], ['StateDirectory', 'provd'], ['ConfigurationDirectory', 'provd'],
      ['ProtectSystem', 'strict'], ['ProtectHome', 'yes'], ['PrivateTmp', 'yes'], ['NoNewPrivileges', 'yes'],
      ['SystemCallFilter', '@system-service'], ['Restart', 'on-failure'], ['ExecReload', '/bin/kill -HUP $MAINPID'],
    ] as const) {
      expect(unitValue(key)).toBe(value);
    }
    expect(unitValue('RestrictAddressFamilies')).toContain('AF_INET6');
  });
});

describe('the daemon under the unit\'s constraints', () => {
  const UDP_CLIENT = join(REPO, 'test', 'fixtures', 'dhcp', 'udp-client.mjs');
  const PHONE_UA = 'Yealink SIP-T46U 108.86.0.20 80:5e:c0:d5:7d:72';
  /** Every standard port the unit promises, and the listener that takes it. */
  const STANDARD = [
    { protocol: 'http', port: 80 }, { protocol: 'https', port: 443 }, { protocol: 'tftp', port: 69 },
    { protocol: 'ftp', port: 21 }, { protocol: 'dhcp', port: 67 },
  ] as const;
  type Protocol = (typeof STANDARD)[number]['protocol'];

  let daemon: ReturnType<typeof spawn> | undefined;
  // The unprivileged user must read the program: a checkout under a private folder (mktemp -d,
  // a home directory) is out of its reach, so it runs from a world-readable copy, as installed.
  let install: string;
  let bin: string;
  let tls: string;

  beforeAll(async () => {
    install = mkdtempSync(join(tmpdir(), 'provd-unit-install-'));
    chmodSync(install, 0o755);
    for (const part of ['package.json', 'dist', 'node_modules', 'config', 'templates']) {
      cpSync(join(REPO, part), join(install, part), { recursive: true, verbatimSymlinks: true });
    }
    mkdirSync(join(install, 'root'));
    bin = join(install, 'dist', 'src', 'cli', 'bin.js');
    // A test certificate for 127.0.0.1; the key is world-readable only because it is a throw-away.
    tls = join(install, 'tls');
    mkdirSync(tls);
    await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(tls, 'key.pem'), '-out', join(tls, 'cert.pem')]);
    chmodSync(join(tls, 'key.pem'), 0o644);
    await run('ip', ['netns', 'add', NETNS]);
    await run('ip', ['-n', NETNS, 'link', 'set', 'lo', 'up']);
  }, 60_000);

  afterAll(async () => {
    if (daemon && daemon.exitCode === null) {
      daemon.kill('SIGTERM');
      await new Promise((r) => daemon?.once('exit', r));
    }
    await run('ip', ['netns', 'del', NETNS]).catch(() => undefined);
    if (install) rmSync(install, { recursive: true, force: true });
  });

  /** A state folder the unprivileged user owns, as StateDirectory= makes it. */
  function stateDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'provd-unit-state-'));
    chownSync(dir, NOBODY, NOBODY);
    return dir;
  }

  /**
   * A config with every listener on: the protocols in `standard` on their standard port, the
   * others on a free one. FTP allows anonymous reads (non-secret files only) so curl can log in;
   * the DHCP helper answers DHCPINFORM only, which needs no interface but loopback.
   */
  function config(name: string, standard: readonly Protocol[]): string {
    const port = (p: Protocol) => (standard.includes(p) ? STANDARD.find((s) => s.protocol === p)!.port : 0);
    const file = join(install, 'config', `${name}.yaml`);
    writeFileSync(file, [
      'bind: 127.0.0.1',
      'public_host: 127.0.0.1',
      'inventory: ./inventory',
      'root: ../root',
      'templates: { shipped: ../templates, override: ../templates.local }',
      `http: { enabled: true, port: ${port('http')} }`,
      `https: { port: ${port('https')}, cert: ${join(tls, 'cert.pem')}, key: ${join(tls, 'key.pem')} }`,
      `tftp: { enabled: true, port: ${port('tftp')} }`,
      `ftp: { enabled: true, port: ${port('ftp')}, anonymous: true }`,
      `dhcp: { enabled: true, mode: inform, port: ${port('dhcp')} }`,
      '',
    ].join('\n'));
    return file;
  }

  /**
   * `provd serve` as nobody in the test's namespace with exactly the capabilities given, and the
   * unit's node flags and Environment= (so the flags are proven to start the daemon).
   */
  function startAsNobody(caps: readonly string[], configFile: string, state: string): { child: ReturnType<typeof spawn>; output: () => string } {
    const capList = caps.map((c) => `+${c}`).join(',');
    const setpriv = [
      '--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', '--no-new-privs',
      ...(caps.length > 0 ? ['--inh-caps', capList, '--ambient-caps', capList] : []),
      '--bounding-set', caps.length > 0 ? `-all,${capList}` : '-all',
    ];
    const args = ['netns', 'exec', NETNS, 'setpriv', ...setpriv, '--', process.execPath, ...unitNodeFlags(), bin, 'serve',
      '--config', configFile, '--state-dir', state];
    const child = spawn('ip', args, { cwd: install, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...unitEnvironment() } });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    return { child, output: () => output };
  }

  /** A command inside the test's namespace (as root: the clients, not the daemon). */
  function inNetns(cmd: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
    return run('ip', ['netns', 'exec', NETNS, cmd, ...args], { timeout: 30_000, maxBuffer: 4 * 1024 * 1024 });
  }

  it.each(STANDARD)('cannot bind $protocol on port $port without CAP_NET_BIND_SERVICE', async ({ protocol, port }) => {
    const { child, output } = startAsNobody([], config(`nocap-${protocol}`, [protocol]), stateDir());
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    // The DHCP helper binds 0.0.0.0 whatever `bind` says (broadcasts reach only such a socket).
    expect(output()).toMatch(new RegExp(`provd: start-up failed: (listen|bind) EACCES(: permission denied)? [0-9.]+:${port}\n`));
  }, 60_000);

  it('binds 80, 443, 69/udp, 21 and 67/udp with only CAP_NET_BIND_SERVICE, is ready by the unit\'s own check, answers on each', async () => {
    const state = stateDir();
    const started = startAsNobody(['net_bind_service'], config('standard-ports', STANDARD.map((s) => s.protocol)), state);
    daemon = started.child;
    // ExecStartPost exactly as the unit has it, with the unit's state folder and $MAINPID filled in
    // (`ip netns exec` and setpriv both exec, so the child's pid is the daemon's).
    const post = unitValue('ExecStartPost');
    const script = /^\/bin\/sh -c '(.*)'$/.exec(post)?.[1];
    expect(script).toBeDefined();
    const pid = daemon.pid!;
    const ready = await run('timeout', ['60', '/bin/sh', '-c', script!.replaceAll('/var/lib/provd', state).replaceAll('$MAINPID', String(pid))]);
    expect(ready.stderr).toBe('');
    // The `ready` log line follows runtime.json (log lines are flushed in batches).
    for (let i = 0; i < 50 && !started.output().includes('"msg":"ready"'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(started.output()).toContain('"msg":"ready"');
    for (const { protocol, port } of STANDARD) {
      expect(started.output()).toMatch(new RegExp(`"protocol":"${protocol}",[^\n]*"port":${port},[^\n]*"msg":"listening"`));
    }

    const status = ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-A', PHONE_UA];
    expect((await inNetns('curl', [...status, 'http://127.0.0.1:80/805ec0d57d72.cfg'])).stdout).toBe('200');
    expect((await inNetns('curl', [...status, '--cacert', join(tls, 'cert.pem'), 'https://127.0.0.1:443/805ec0d57d72.cfg'])).stdout).toBe('200');
    const overTftp = await inNetns('curl', ['-sS', 'tftp://127.0.0.1:69/y000000000000.boot']);
    expect(overTftp.stdout).toContain('#!version:1.0.0.1');
    const overFtp = await inNetns('curl', ['-sS', 'ftp://127.0.0.1:21/y000000000000.boot']);
    expect(overFtp.stdout).toContain('#!version:1.0.0.1');
    // A Yealink's DHCPINFORM from loopback: the ACK carries the provisioning URL over TFTP on 69.
    const inform = clientPacket({ type: 8, mac: '80:5e:c0:d5:7d:72', ciaddr: '127.0.0.1', options: [[60, Buffer.from('yealink')], [55, Buffer.from([66])]] });
    const { stdout } = await inNetns(process.execPath, [UDP_CLIENT, '127.0.0.1', '67', inform.toString('hex'), '1500']);
    const replies = JSON.parse(stdout) as { hex: string }[];
    expect(replies).toHaveLength(1);
    const options = replyOptions(Buffer.from(replies[0]!.hex, 'hex'));
    expect(options.get(53)).toEqual(Buffer.from([5]));
    expect(options.get(66)?.toString()).toBe('tftp://127.0.0.1/$PN/');

    // Every fetch is in the ledger, which the daemon wrote as the unprivileged user.
    let protocols = new Set<string>();
    for (let i = 0; i < 50 && protocols.size < 4; i++) {
      const ledger = await run(process.execPath, [BIN, 'ledger', '--json', '--state-dir', state]);
      protocols = new Set(ledger.stdout.trim().split('\n').filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { protocol: string; outcome: string })
        .filter((r) => r.outcome === 'served').map((r) => r.protocol));
      if (protocols.size < 4) await new Promise((r) => setTimeout(r, 100));
    }
    expect([...protocols].sort()).toEqual(['ftp', 'http', 'https', 'tftp']);
    const owner = await run('stat', ['-c', '%u', join(state, 'ledger.sqlite')]);
    expect(owner.stdout.trim()).toBe(String(NOBODY));
  }, 90_000);
});
