/**
 * The WeLink video endpoints from the command line, running the built binary: `render <mac>
 * sheet` (with and without --resolve-ips), `check` warning on firmware below the seed's minimum
 * and on a non-TLS WeLink account, and the bad-input messages of the Grandstream/Polycom part.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BIN, REPO } from './daemon-harness.js';

const execFileP = promisify(execFile);

async function provd(args: readonly string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [BIN, ...args], { cwd: REPO, encoding: 'utf8' });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; code?: number };
    return { stdout: x.stdout ?? '', stderr: x.stderr ?? '', code: typeof x.code === 'number' ? x.code : 1 };
  }
}

/** The example inventory plus `extra` as one more file. */
function inventoryWith(extra: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'provd-video-'));
  cpSync(join(REPO, 'config', 'inventory'), join(dir, 'inventory'), { recursive: true });
  writeFileSync(join(dir, 'inventory', 'zz-test.yaml'), extra);
  return join(dir, 'inventory');
}

const VIDEO = inventoryWith(
  [
    'devices:',
    '  - mac: "00:04:f2:00:00:11"',
    '    model: Group 550',
    '    profile: welink',
    '    vars: { firmware: "Release - 6.1.0-12345" }',
    '    accounts:',
    '      - { user: "+99111600000011@huaweicloud.com", password: "pw-group", outbound_proxy: "localhost:5061" }',
    '  - mac: "00:50:60:00:00:12"',
    '    model: SX20',
    '    profile: welink',
    '    vars: { firmware: "ce 9.4.0 62bc0aa4505 2018-06-14" }',
    '    accounts:',
    '      - { user: "+99111600000012@huaweicloud.com", password: "pw-sx20", outbound_proxy: "159.138.44.101:5061" }',
    '  - mac: "00:50:60:00:00:13"',
    '    model: SX80',
    '    profile: welink',
    '    vars: { firmware: "TC7.3.2" }',
    '    accounts:',
    '      - { user: "+99111600000013@huaweicloud.com", password: "pw-sx80", transport: udp }',
    '',
  ].join('\n'),
);

describe('video endpoint settings sheet', () => {
  it('prints the fields in the SIP page order with the account values', async () => {
    const r = await provd(['render', '00:04:f2:00:00:11', 'sheet', '--inventory', VIDEO]);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => !l.startsWith('#') && l !== '').map((l) => l.split(' : ').map((s) => s.trim()));
    expect(rows).toEqual([
      ['Enable SIP', 'Yes'],
      ['Transport Protocol', 'TLS'],
      ['Registrar Server', 'huaweicloud.com'],
      ['Proxy Server', 'localhost:5061'],
      ['Sign-in Address', '+99111600000011@huaweicloud.com'],
      ['User Name', '+99111600000011@huaweicloud.com'],
      ['Password', 'pw-group'],
    ]);
    expect(r.stdout).toContain('Polycom GROUP550, profile welink');
  });

  it('--resolve-ips writes the proxy as the address it resolves to, and keeps IP literals', async () => {
    const group = await provd(['render', '00:04:f2:00:00:11', 'sheet', '--resolve-ips', '--inventory', VIDEO]);
    expect(group.code, group.stderr).toBe(0);
    expect(group.stdout).toMatch(/^Proxy Server\s+: 127\.0\.0\.1:5061 {3}# resolved from localhost:5061$/m);
    const sx20 = await provd(['render', '00:50:60:00:00:12', 'sheet', '--resolve-ips', '--inventory', VIDEO]);
    expect(sx20.code, sx20.stderr).toBe(0);
    expect(sx20.stdout).toMatch(/^SIP Proxy 1 Address\s+: 159\.138\.44\.101:5061$/m);
    expect(sx20.stdout).toMatch(/^NetworkServices SIP Mode\s+: On$/m);
  });

  it('refuses a name that does not resolve, a device provisioned by files, and --resolve-ips on a file', async () => {
    const dir = inventoryWith(
      'devices:\n  - mac: "00:04:f2:00:00:21"\n    model: HDX4500\n    profile: welink\n    accounts:\n      - { user: "+1@huaweicloud.com", password: x, outbound_proxy: "no-such-host.invalid:5061" }\n',
    );
    const bad = await provd(['render', '00:04:f2:00:00:21', 'sheet', '--resolve-ips', '--inventory', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('no-such-host.invalid does not resolve');
    const phone = await provd(['render', 'c0:74:ad:65:6e:2c', 'sheet', '--inventory', VIDEO]);
    expect(phone.code).toBe(1);
    expect(phone.stderr).toContain('is provisioned by files');
    const flag = await provd(['render', 'c0:74:ad:65:6e:2c', 'cfgc074ad656e2c.xml', '--resolve-ips']);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain('--resolve-ips applies to `sheet` only');
  });
});

describe('provd check on video endpoints', () => {
  it('warns on firmware below the WeLink minimum and on a WeLink account without TLS, and still passes', async () => {
    const r = await provd(['check', '--inventory', VIDEO]);
    expect(r.code, r.stdout).toBe(0);
    const warnings = r.stdout.split('\n').filter((l) => l.includes('warning'));
    expect(warnings).toEqual([
      expect.stringMatching(/zz-test\.yaml:2: warning: device 0004f2000011 \(GROUP550\): firmware Release - 6\.1\.0-12345 is below 6\.2\.0-440582/),
      expect.stringMatching(/zz-test\.yaml:14: warning: device 005060000013 \(SX80\): firmware TC7\.3\.2 is below TC7\.3\.6/),
      expect.stringMatching(/zz-test\.yaml:14: warning: device 005060000013 \(SX80\): account line 1 registers to WeLink over udp; WeLink accepts TLS only/),
    ]);
  });
});

describe('bad input for Grandstream and Polycom devices', () => {
  it('names the device for too many accounts, lists known models, and names the missing field', async () => {
    const dir = inventoryWith(
      [
        'devices:',
        '  - mac: "c0:74:ad:00:00:31"',
        '    model: WP810',
        '    accounts:',
        '      - { line: 3, user: "1", password: x, registrar: pbx.lan }',
        '  - mac: "c0:74:ad:00:00:32"',
        '    vendor: grandstream',
        '    model: WP999',
        '  - mac: "00:04:f2:00:00:33"',
        '    model: VVX450',
        '    profile: zoom',
        '    accounts:',
        '      - { user: "1", password: x, registrar: z.zoom.us }',
        '',
      ].join('\n'),
    );
    const r = await provd(['check', '--inventory', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/zz-test\.yaml:5:\d+: error: device c0:74:ad:00:00:31: account line 3 is above the 2 account lines a Grandstream WP810 has/);
    expect(r.stdout).toMatch(/zz-test\.yaml:8:\d+: error: device c0:74:ad:00:00:32: unknown Grandstream model "WP999" \(known: WP810, WP822, WP825, GXP1610/);
    expect(r.stdout).toMatch(/zz-test\.yaml:\d+:\d+: error: device 00:04:f2:00:00:33: account line 1 has no auth_id, which profile "zoom" requires/);
  });
});
