import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { formatProblem } from '../../src/config/problems.js';
import { createVendorRegistry } from '../../src/vendors/index.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const defaultFile = path.join(repo, 'config/provd.yaml');

describe('dhcp: config section', () => {
  it('is off by default in the embedded config', () => {
    const r = loadConfig({ env: {}, flags: {}, defaultFile, cwd: repo });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.config.dhcp).toMatchObject({ enabled: false, mode: 'inform', port: 67 });
  });
  it('reports unknown vendors, bad addresses and a reversed pool with file and line', () => {
    const file = path.join(repo, 'test/fixtures/config/bad-dhcp.yaml');
    const r = loadConfig({ file, env: {}, flags: {}, defaultFile, cwd: repo });
    expect(r.ok).toBe(false);
    const lines = r.ok ? [] : r.problems.map(formatProblem);
    const rel = (l: string) => l.replace(`${file}:`, '');
    expect(lines.map(rel)).toEqual([
      '4:19: dhcp.server_address: expected an IPv4 address such as 192.168.10.2',
      `8:15: dhcp.rules[1].vendor: unknown vendor 'nosuchvendor' (known: ${createVendorRegistry().all().map((v) => v.id).join(', ')})`,
      '10:54: dhcp.rules[1].options[0].value[1]: expected an IPv4 address such as 192.168.10.2',
      '13:15: dhcp.server.pool_end: pool_start must not be above pool_end',
    ]);
  });
  it('keeps the pool and reservations inside one subnet, off its network and broadcast addresses', () => {
    const file = path.join(repo, 'test/fixtures/config/bad-dhcp-subnet.yaml');
    const r = loadConfig({ file, env: {}, flags: {}, defaultFile, cwd: repo });
    const lines = r.ok ? [] : r.problems.map(formatProblem).map((l) => l.replace(`${file}:`, ''));
    expect(lines).toEqual([
      '5:17: dhcp.server.pool_start: 10.0.0.0 is the network address of 10.0.0.0/255.255.255.0',
      '6:15: dhcp.server.pool_end: 10.0.1.20 is outside the subnet 10.0.0.0/255.255.255.0',
      '9:13: dhcp.server.reservations[0].ip: 192.168.1.5 is outside the subnet 10.0.0.0/255.255.255.0',
    ]);
  });
});

describe('dhcp: reply broadcast', () => {
  it('defaults to the pool subnet broadcast in server mode, else the limited broadcast', async () => {
    const { dhcpSchema, replyBroadcast } = await import('../../src/dhcp/config.js');
    expect(replyBroadcast(dhcpSchema.parse({ mode: 'server', server: { pool_start: '10.4.0.10', pool_end: '10.4.0.20', subnet_mask: '255.255.252.0' } }))).toBe('10.4.3.255');
    expect(replyBroadcast(dhcpSchema.parse({}))).toBe('255.255.255.255');
    expect(replyBroadcast(dhcpSchema.parse({ broadcast_address: '10.9.9.255' }))).toBe('10.9.9.255');
    expect(() => dhcpSchema.parse({ mode: 'server', server_address: '10.5.0.1', server: { pool_start: '10.4.0.10', pool_end: '10.4.0.20' } })).toThrow(/pool's subnet/);
  });
});
