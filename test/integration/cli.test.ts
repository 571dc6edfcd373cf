/**
 * The `provd` subcommands as an admin runs them: check, import, render, --help. Each runs the
 * built binary as a process.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BIN, REPO } from './daemon-harness.js';

const execFileP = promisify(execFile);

async function provd(args: readonly string[], cwd = REPO): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; code?: number };
    return { stdout: x.stdout ?? '', stderr: x.stderr ?? '', code: typeof x.code === 'number' ? x.code : 1 };
  }
}

function scratchInventory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'provd-cli-'));
  cpSync(join(REPO, 'config', 'inventory'), join(dir, 'inventory'), { recursive: true });
  return dir;
}

describe('provd check', () => {
  it('passes on the embedded default', async () => {
    const r = await provd(['check']);
    expect(r.code).toBe(0);
    // The example inventory grows with each vendor's devices-<vendor>.yaml; at least the first three.
    const counts = /^ok: (\d+) devices, (\d+) profiles, \d+ files rendered$/m.exec(r.stdout);
    expect(Number(counts?.[1])).toBeGreaterThanOrEqual(3);
    expect(Number(counts?.[2])).toBeGreaterThanOrEqual(3);
  });

  it('lists every problem with file and line and exits 1', async () => {
    const dir = scratchInventory();
    const devices = join(dir, 'inventory', 'devices.yaml');
    writeFileSync(
      devices,
      readFileSync(devices, 'utf8') +
        [
          '  - mac: "80:5e:c0:d5:7d:72"',
          '    model: T46U',
          '  - mac: "00:15:65:00:00:01"',
          '    model: T99X',
          '  - mac: "00:15:65:00:00:02"',
          '    model: T19P_E2',
          '    accounts:',
          '      - { line: 1, user: "1", password: x, registrar: pbx.lan }',
          '      - { line: 2, user: "2", password: x, registrar: pbx.lan }',
          '',
        ].join('\n'),
    );
    const r = await provd(['check', '--inventory', join(dir, 'inventory')]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    const at = (re: RegExp) => lines.find((l) => re.test(l)) ?? '';
    expect(at(/duplicate|defined twice|more than once/i)).toMatch(/devices\.yaml:\d+/);
    expect(at(/T99X/)).toMatch(/devices\.yaml:\d+:.*known: yealink: .*T46U/);
    expect(at(/line 2|2 lines|account/i)).toMatch(/devices\.yaml:\d+/);
  });
});

describe('provd serve', () => {
  it('refuses to start on a broken inventory: problems with file and line, exit 1, no port left open', async () => {
    const dir = scratchInventory();
    const devices = join(dir, 'inventory', 'devices.yaml');
    writeFileSync(devices, `${readFileSync(devices, 'utf8')}  - mac: "zz"\n    model: T46U\n`);
    const r = await provd(['serve', '--inventory', join(dir, 'inventory'), '--state-dir', join(dir, 'var'), '--http-port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/devices\.yaml:\d+:\d+: error: .*zz/);
  });
});

describe('provd import', () => {
  it('turns a spreadsheet into inventory that check accepts', async () => {
    const dir = scratchInventory();
    const csv = join(dir, 'phones.csv');
    writeFileSync(
      csv,
      [
        'mac,vendor,model,profile,site,line,user,auth_id,password,display_name,label,sip_domain,outbound_proxy',
        'c0-74-ad-00-00-01,,T46U,zoom,hq,1,32230001,3430001,pw1,Alice,8028,7000766863.zoom.us,us01sip0h.sc.zoom.us:5091',
        'c0-74-ad-00-00-01,,T46U,zoom,hq,2,32230002,3430002,pw2,Alice 2,8029,7000766863.zoom.us,us01sip0h.sc.zoom.us:5091',
        '001565AABB02,yealink,SIP-T21P E2,pbx,lab,1,301,,pw3,"Lab, bench",301,,',
      ].join('\r\n'),
    );
    const before = Number(/^ok: (\d+) devices/m.exec((await provd(['check', '--inventory', join(dir, 'inventory')])).stdout)?.[1]);
    const out = join(dir, 'inventory', 'imported.yaml');
    const r = await provd(['import', csv, '--out', out]);
    expect(r.stderr).toContain('2 devices');
    expect(r.code).toBe(0);
    const yaml = readFileSync(out, 'utf8');
    expect(yaml).toMatch(/mac: "?c0:?74:?ad:?00:?00:?01"?/i);
    const check = await provd(['check', '--inventory', join(dir, 'inventory')]);
    expect(check.stdout).toMatch(new RegExp(`^ok: ${before + 2} devices`, 'm'));
    expect(check.code).toBe(0);
    const rendered = await provd(['render', 'c074ad000001', 'c074ad000001.cfg', '--inventory', join(dir, 'inventory'), '--state-dir', join(dir, 'var')]);
    expect(rendered.code).toBe(0);
    expect(rendered.stdout).toContain('account.2.auth_name = 3430002');
    expect(rendered.stderr).toMatch(/^md5 [0-9a-f]{32}$/m);
  });

  it('names the CSV row of every bad line and writes nothing', async () => {
    const dir = scratchInventory();
    const csv = join(dir, 'bad.csv');
    writeFileSync(
      csv,
      [
        'mac,vendor,model,profile,site,line,user,auth_id,password,display_name,label,sip_domain,outbound_proxy',
        'not-a-mac,,T46U,pbx,,1,1,,x,,,,',
        '001565000003,,NOPE,pbx,,1,1,,x,,,,',
      ].join('\n'),
    );
    const out = join(dir, 'out.yaml');
    const r = await provd(['import', csv, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.csv:2\b/);
    expect(r.stderr).toMatch(/bad\.csv:3\b/);
    expect(() => readFileSync(out)).toThrow();
  });
});

describe('provd --help', () => {
  it.each(['serve', 'check', 'render', 'import', 'ledger', 'status'])('%s has its own help', async (cmd) => {
    const r = await provd([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`provd ${cmd}`);
  });

  it('rejects an unknown command with usage and exit 2', async () => {
    const r = await provd(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command');
  });
});
