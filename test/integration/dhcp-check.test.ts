/** `provd check` on the DHCP helper's inputs: config errors and inventory addresses, with file and line. */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BIN, REPO } from './daemon-harness.js';

const execFileP = promisify(execFile);

async function check(dir: string): Promise<{ code: number; out: string }> {
  return execFileP(process.execPath, [BIN, 'check', '--config', join(dir, 'provd.yaml')]).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
}

function folder(config: string, devices: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'provd-dhcp-check-'));
  mkdirSync(join(dir, 'inventory'));
  writeFileSync(join(dir, 'provd.yaml'), `inventory: ./inventory\ntemplates:\n  shipped: ${JSON.stringify(join(REPO, 'templates'))}\n${config}`);
  writeFileSync(join(dir, 'inventory', 'devices.yaml'), devices);
  return dir;
}

const device = (mac: string, ip: string) =>
  `  - mac: "${mac}"\n    model: T46U\n    ip: ${ip}\n    accounts:\n      - { line: 1, user: "1", password: "x", registrar: pbx.example }\n`;

describe('provd check: dhcp', () => {
  it('names an unknown vendor and a bad address with file and line', async () => {
    const dir = folder('dhcp:\n  enabled: true\n  rules:\n    - vendor: acme\n  server_address: 10.0.0.999\n', 'devices: []\n');
    const { code, out } = await check(dir);
    expect(code).toBe(1);
    expect(out).toContain(`${join(dir, 'provd.yaml')}:7:15: dhcp.rules[0].vendor: unknown vendor 'acme'`);
    expect(out).toContain(`${join(dir, 'provd.yaml')}:8:19: dhcp.server_address: expected an IPv4 address`);
  });
  it('reports inventory addresses server mode cannot reserve, at the device', async () => {
    const dir = folder(
      'dhcp:\n  enabled: true\n  mode: server\n  server:\n    pool_start: 10.5.0.100\n    pool_end: 10.5.0.120\n    reservations:\n      - { mac: "00:15:65:00:00:09", ip: 10.5.0.30 }\n',
      `devices:\n${device('00:15:65:00:00:01', '10.5.0.20')}${device('00:15:65:00:00:02', '10.5.0.20')}${device('00:15:65:00:00:03', '192.168.9.9')}${device('00:15:65:00:00:04', '10.5.0.30')}`,
    );
    const { code, out } = await check(dir);
    expect(code).toBe(1);
    const inv = join(dir, 'inventory', 'devices.yaml');
    expect(out).toContain(`${inv}:7: error: device 001565000002: ip 10.5.0.20 is also claimed by device 001565000001 (${inv}:2)`);
    expect(out).toContain(`${inv}:12: error: device 001565000003: ip 192.168.9.9 is outside the DHCP subnet of 10.5.0.100/255.255.255.0`);
    expect(out).toContain(`${inv}:17: error: device 001565000004: ip 10.5.0.30 is also claimed by the reservation for 001565000009 in the config`);
    expect(out).toContain('3 error(s)');
  });
  it('a bad ip in the inventory is an inventory error; secret_files: lease needs dhcp', async () => {
    const dir = folder('security:\n  secret_files: lease\n', `devices:\n${device('00:15:65:00:00:01', '10.5.0.256')}`);
    const { code, out } = await check(dir);
    expect(code).toBe(1);
    expect(out).toContain(`${join(dir, 'inventory', 'devices.yaml')}:4:9: error: ip: expected an IPv4 address such as 192.168.1.20`);
    expect(out).toContain('config: error: security.secret_files is lease, but dhcp is not enabled');
  });
});
