import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMac } from '../../src/core/mac.js';
import { LeaseFile, LeaseTable, type Lease } from '../../src/dhcp/leases.js';

const mac = (n: number) => parseMac(`00156500${n.toString(16).padStart(4, '0')}`)!;

describe('LeaseFile', () => {
  it('round-trips bound leases and leaves no temporary file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provd-leases-'));
    const file = new LeaseFile(join(dir, 'dhcp-leases.json'));
    expect(await file.load()).toEqual([]);
    const leases: Lease[] = [{ mac: mac(1), ip: '10.0.0.5', expires: 123, state: 'bound' }];
    await file.save(() => leases);
    expect(await new LeaseFile(join(dir, 'dhcp-leases.json')).load()).toEqual(leases);
    expect(readdirSync(dir)).toEqual(['dhcp-leases.json']);
  });
  it('group-commits concurrent saves: every caller resolves, the newest state wins, far fewer writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provd-leases-'));
    const path = join(dir, 'dhcp-leases.json');
    const file = new LeaseFile(path);
    const table = new LeaseTable(() => 0);
    let snapshots = 0;
    const saves: Promise<void>[] = [];
    for (let i = 1; i <= 200; i++) {
      table.set({ mac: mac(i), ip: `10.0.${i >> 8}.${i & 255}`, expires: 1000, state: 'bound' });
      saves.push(file.save(() => (snapshots++, table.bound())));
    }
    await Promise.all(saves);
    expect((JSON.parse(readFileSync(path, 'utf8')) as unknown[]).length).toBe(200);
    expect(snapshots).toBeLessThanOrEqual(3);
  });
  it('a damaged file is a clear error naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provd-leases-'));
    const path = join(dir, 'dhcp-leases.json');
    writeFileSync(path, '[{"mac": "0015');
    await expect(new LeaseFile(path).load()).rejects.toThrow(`${path}: not a lease file`);
  });
});

describe('LeaseTable', () => {
  it('learned bindings never replace the server\'s own, expire, and one MAC holds one address', () => {
    let now = 0;
    const t = new LeaseTable(() => now);
    t.set({ mac: mac(1), ip: '10.0.0.5', expires: 100, state: 'bound' });
    t.learn(mac(2), '10.0.0.5', 50);
    expect(t.macFor('10.0.0.5')).toBe(mac(1));
    t.set({ mac: mac(1), ip: '10.0.0.6', expires: 100, state: 'bound' });
    expect(t.at('10.0.0.5')).toBeUndefined();
    t.set({ mac: mac(3), ip: '10.0.0.7', expires: 100, state: 'offered' });
    expect(t.macFor('10.0.0.7')).toBeUndefined();
    now = 100;
    expect(t.macFor('10.0.0.6')).toBeUndefined();
    expect(t.bound()).toEqual([]);
  });
});
