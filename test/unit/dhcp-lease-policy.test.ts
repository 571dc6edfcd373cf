import { describe, expect, it } from 'vitest';
import { identify } from '../../src/core/identify.js';
import { parseMac } from '../../src/core/mac.js';
import { AccessPolicy } from '../../src/core/policy.js';
import { isRejected, parseRequestPath, type SafePath } from '../../src/core/safe-path.js';
import { ScannerGuard } from '../../src/core/scanner-guard.js';
import type { DeviceIdentity } from '../../src/core/types.js';
import { LeaseTable } from '../../src/dhcp/leases.js';
import { createVendorRegistry } from '../../src/vendors/index.js';

const OWNER = parseMac('805ec0d57d72')!;
const OTHER = parseMac('249ad8102030')!;
const path = (p: string): SafePath => {
  const parsed = parseRequestPath(p);
  if (isRejected(parsed)) throw new Error(p);
  return parsed;
};
const policy = new AccessPolicy({
  allowedNetworks: ['10.0.0.0/8'],
  secretMode: 'lease',
  realm: 'provd',
  folders: [],
  scanner: new ScannerGuard({ unknownMacs: 2, windowMs: 1000, blockMs: 1000, now: () => 0 }),
});
const req = { protocol: 'http' as const, peer: { address: '10.1.2.3', port: 5000 }, path: '/805ec0d57d72.cfg' };

describe('DHCP leases in identification and secret_files: lease', () => {
  const leases = new LeaseTable(() => 0);
  leases.learn(OWNER, '10.1.2.3', 60_000);
  const registry = createVendorRegistry();

  it('identify reports the lease MAC beside the path MAC, and falls back to it alone', () => {
    const named = identify(registry, { path: path('/805ec0d57d72.cfg'), peerAddress: '10.1.2.3' }, leases);
    expect(named).toMatchObject({ mac: OWNER, by: 'path', leaseMac: OWNER });
    expect(identify(registry, { path: path('/y000000000000.boot'), peerAddress: '10.1.2.3' }, leases)).toMatchObject({ mac: OWNER, by: 'lease' });
    expect(identify(registry, { path: path('/y000000000000.boot'), peerAddress: '10.1.2.4' }, leases).leaseMac).toBeUndefined();
  });

  it.each<[DeviceIdentity, boolean]>([
    [{ mac: OWNER, by: 'path', leaseMac: OWNER }, true],
    [{ mac: OWNER, by: 'path' }, false],
    [{ mac: OWNER, by: 'path', leaseMac: OTHER }, false],
    [{ mac: OTHER, by: 'path', leaseMac: OWNER }, false],
  ])('secret file for %j -> %s', (identity, allowed) => {
    const d = policy.secretFile(req, identity, OWNER, undefined);
    expect(d.allow).toBe(allowed);
    if (!d.allow) expect(d).toMatchObject({ answer: 'not_found', reason: identity.mac === OWNER ? 'lease_mismatch' : 'secret_not_named' });
  });
});
