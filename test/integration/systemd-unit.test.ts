/**
 * The shipped systemd unit: it verifies, its hardening score is what the docs say, and the daemon
 * runs under the unit's constraints as far as they can be reproduced without systemd as PID 1: an
 * unprivileged user whose only capability is CAP_NET_BIND_SERVICE binds the standard ports (in a
 * network namespace of the test's own, so nothing on the machine's ports is touched), the unit's
 * readiness command returns only once the daemon is ready, and a phone's fetch is served.
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  writeFileSync(file, readFileSync(UNIT, 'utf8').replaceAll('/usr/bin/provd', `${process.execPath} ${BIN}`));
  return file;
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
  let state: string;
  let daemon: ReturnType<typeof spawn> | undefined;
  let output = '';
  // The unprivileged user must read the program: a checkout under a private folder (mktemp -d,
  // a home directory) is out of its reach, so it runs from a world-readable copy, as installed.
  let install: string;
  let bin: string;

  beforeAll(async () => {
    install = mkdtempSync(join(tmpdir(), 'provd-unit-install-'));
    chmodSync(install, 0o755);
    for (const part of ['package.json', 'dist', 'node_modules', 'config', 'templates']) {
      cpSync(join(REPO, part), join(install, part), { recursive: true, verbatimSymlinks: true });
    }
    bin = join(install, 'dist', 'src', 'cli', 'bin.js');
    await run('ip', ['netns', 'add', NETNS]);
    await run('ip', ['-n', NETNS, 'link', 'set', 'lo', 'up']);
    state = mkdtempSync(join(tmpdir(), 'provd-unit-state-'));
    chownSync(state, NOBODY, NOBODY);
  });

  afterAll(async () => {
    if (daemon && daemon.exitCode === null) {
      daemon.kill('SIGTERM');
      await new Promise((r) => daemon?.once('exit', r));
    }
    await run('ip', ['netns', 'del', NETNS]).catch(() => undefined);
    if (install) rmSync(install, { recursive: true, force: true });
  });

  /** `node provd serve` as nobody in the test's namespace, with exactly the capabilities given. */
  function startAsNobody(caps: readonly string[], stateDir: string, port: number): ReturnType<typeof spawn> {
    const capList = caps.map((c) => `+${c}`).join(',');
    const setpriv = [
      '--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', '--no-new-privs',
      ...(caps.length > 0 ? ['--inh-caps', capList, '--ambient-caps', capList] : []),
      '--bounding-set', caps.length > 0 ? `-all,${capList}` : '-all',
    ];
    const args = ['netns', 'exec', NETNS, 'setpriv', ...setpriv, '--', process.execPath, bin, 'serve',
      '--state-dir', stateDir, '--http-port', String(port), '--bind', '127.0.0.1', '--public-host', '127.0.0.1'];
    const child = spawn('ip', args, { cwd: install, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    return child;
  }

  it('cannot bind port 80 without CAP_NET_BIND_SERVICE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provd-unit-nocap-'));
    chownSync(dir, NOBODY, NOBODY);
    const child = startAsNobody([], dir, 80);
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(output).toMatch(/EACCES|permission denied/i);
  });

  it('binds port 80 with only CAP_NET_BIND_SERVICE, becomes ready by the unit\'s own readiness check, serves a phone', async () => {
    output = '';
    daemon = startAsNobody(['net_bind_service'], state, 80);
    // ExecStartPost exactly as the unit has it, with the unit's state folder and $MAINPID filled in
    // (`ip netns exec` and setpriv both exec, so the child's pid is the daemon's).
    const post = unitValue('ExecStartPost');
    const script = /^\/bin\/sh -c '(.*)'$/.exec(post)?.[1];
    expect(script).toBeDefined();
    const pid = daemon.pid!;
    const ready = await run('timeout', ['60', '/bin/sh', '-c', script!.replaceAll('/var/lib/provd', state).replaceAll('$MAINPID', String(pid))]);
    expect(ready.stderr).toBe('');
    const fetched = await run('ip', ['netns', 'exec', NETNS, 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '-A',
      'Yealink SIP-T46U 108.86.0.20 80:5e:c0:d5:7d:72', 'http://127.0.0.1:80/805ec0d57d72.cfg']);
    expect(fetched.stdout).toBe('200');
    // The `ready` log line follows runtime.json (log lines are flushed in batches).
    for (let i = 0; i < 50 && !output.includes('"msg":"ready"'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('"msg":"ready"');
    // The daemon wrote its state as the unprivileged user.
    const owner = await run('stat', ['-c', '%u', join(state, 'ledger.sqlite')]);
    expect(owner.stdout.trim()).toBe(String(NOBODY));
  }, 90_000);
});
