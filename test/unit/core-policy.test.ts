import { describe, expect, it } from 'vitest';
import { parseMac } from '../../src/core/mac.js';
import { AccessPolicy, type SecretMode } from '../../src/core/policy.js';
import { isRejected, parseRequestPath, type SafePath } from '../../src/core/safe-path.js';
import { ScannerGuard } from '../../src/core/scanner-guard.js';
import type { DeviceIdentity, FetchRequest, PresentedCredentials } from '../../src/core/types.js';

const OWNER = parseMac('805ec0d57d72')!;
const OTHER = parseMac('249ad8102030')!;

function policy(secretMode: SecretMode = 'named'): AccessPolicy {
  return new AccessPolicy({
    allowedNetworks: ['10.0.0.0/8', '127.0.0.0/8'],
    secretMode,
    realm: 'provd',
    folders: [
      { folder: ['T23G_1'], realm: 'activation-1', users: [{ user: 'a1', password: 'p1' }] },
      { folder: ['T23G_1', 'inner'], realm: 'inner', users: [{ user: 'i', password: 'ip' }] },
    ],
    scanner: new ScannerGuard({ unknownMacs: 2, windowMs: 1000, blockMs: 1000, now: () => 0 }),
  });
}

/** Credentials the way an adapter hands them over: it knows how to check a password. */
const creds = (user: string, password: string): PresentedCredentials => ({ user, verify: (p) => p === password });
const req = (over: Partial<FetchRequest> = {}): FetchRequest => ({ protocol: 'http', peer: { address: '10.1.2.3', port: 5000 }, path: '/x', ...over });
const path = (p: string): SafePath => {
  const parsed = parseRequestPath(p);
  if (isRejected(parsed)) throw new Error(p);
  return parsed;
};

describe('AccessPolicy', () => {
  it('admits only allowed networks, and not a blocked scanner', () => {
    const p = policy();
    expect(p.admit(req()).allow).toBe(true);
    expect(p.admit(req({ peer: { address: '::ffff:10.9.9.9', port: 1 } })).allow).toBe(true);
    expect(p.admit(req({ peer: { address: '192.168.1.5', port: 1 } }))).toMatchObject({ allow: false, reason: 'network_not_allowed', answer: 'forbidden' });
    p.noteUnknownDevice('10.1.2.3', parseMac('001565000001')!);
    p.noteUnknownDevice('10.1.2.3', parseMac('001565000002')!);
    expect(p.noteUnknownDevice('10.1.2.3', parseMac('001565000003')!)).toBe(true);
    expect(p.admit(req())).toMatchObject({ allow: false, reason: 'blocked_scanner' });
  });

  it('asks for the most specific folder\'s credentials', () => {
    const p = policy();
    expect(p.folderAuth(req(), path('/public/a.cfg')).allow).toBe(true);
    expect(p.folderAuth(req(), path('/T23G_1/a.cfg'))).toMatchObject({ allow: false, reason: 'auth_required', answer: 'auth', realm: 'activation-1' });
    expect(p.folderAuth(req({ credentials: creds('a1', 'bad') }), path('/T23G_1/a.cfg'))).toMatchObject({ allow: false, reason: 'auth_failed' });
    expect(p.folderAuth(req({ credentials: creds('a1', 'p1') }), path('/T23G_1/a.cfg'))).toEqual({ allow: true, user: 'a1' });
    expect(p.folderAuth(req({ credentials: creds('a1', 'p1') }), path('/T23G_1/inner/a.cfg'))).toMatchObject({ allow: false, realm: 'inner' });
    // A folder name that merely starts like a protected one is not inside it.
    expect(p.folderAuth(req(), path('/T23G_10/a.cfg')).allow).toBe(true);
  });

  const named: DeviceIdentity = { mac: OWNER, by: 'path' };
  it.each<[SecretMode, DeviceIdentity, boolean, string?]>([
    ['named', named, true],
    ['named', { mac: OTHER, by: 'user-agent', uaMac: OTHER }, false, 'secret_not_named'],
    ['named', {}, false, 'secret_not_named'],
    ['named', { ...named, uaMac: OTHER }, true],
    ['user-agent', { ...named, uaMac: OTHER }, false, 'user_agent_mismatch'],
    ['user-agent', named, true],
    ['user-agent', { ...named, uaMac: OWNER }, true],
    ['user-agent-required', named, false, 'user_agent_mismatch'],
    ['user-agent-required', { ...named, uaMac: OWNER }, true],
  ])('secret files in mode %s for %j -> %s', (mode, identity, allowed, reason) => {
    const d = policy(mode).secretFile(req(), identity, OWNER, undefined);
    expect(d.allow).toBe(allowed);
    if (!d.allow) expect(d).toMatchObject({ reason, answer: 'not_found' });
  });

  it('in auth mode wants the device\'s own credentials', () => {
    const p = policy('auth');
    const own = { user: 'phone1', password: 'pw1' };
    expect(p.secretFile(req(), named, OWNER, undefined)).toMatchObject({ allow: false, reason: 'auth_required', answer: 'not_found' });
    expect(p.secretFile(req(), named, OWNER, own)).toMatchObject({ allow: false, reason: 'auth_required', answer: 'auth' });
    expect(p.secretFile(req({ credentials: creds('phone1', 'nope') }), named, OWNER, own)).toMatchObject({ allow: false, reason: 'auth_failed' });
    expect(p.secretFile(req({ credentials: creds('phone1', 'pw1') }), {}, OWNER, own)).toEqual({ allow: true, user: 'phone1' });
  });

  it('refuses an upload for another device as forbidden rather than pretending it is missing', () => {
    const d = policy('user-agent').upload(req(), { ...named, uaMac: OTHER }, OWNER, undefined);
    expect(d).toMatchObject({ allow: false, reason: 'user_agent_mismatch', answer: 'forbidden' });
  });
});
