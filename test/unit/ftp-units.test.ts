/**
 * FTP adapter pieces and the policy's session grants: path arguments, PORT/EPRT, listing
 * formats, scrypt hashes, accounts, login limits.
 */
import { describe, expect, it } from 'vitest';
import type { SessionGrant } from '../../src/core/grant.js';
import { parseMac } from '../../src/core/mac.js';
import { AccessPolicy } from '../../src/core/policy.js';
import { isRejected, parseRequestPath, type SafePath } from '../../src/core/safe-path.js';
import { ScannerGuard } from '../../src/core/scanner-guard.js';
import type { FetchRequest } from '../../src/core/types.js';
import { FtpAccounts } from '../../src/protocols/ftp/accounts.js';
import { parseEprt, parsePort } from '../../src/protocols/ftp/addresses.js';
import { FtpGuard } from '../../src/protocols/ftp/guard.js';
import { formatListing, listLine, mlsxLine, timeVal } from '../../src/protocols/ftp/listing.js';
import { hashPassword, verifyPassword } from '../../src/protocols/ftp/password-hash.js';
import { quotePath, resolveFtpPath, treePath } from '../../src/protocols/ftp/paths.js';

describe('FTP path arguments', () => {
  it('resolves absolute and relative paths inside the login root', () => {
    expect(resolveFtpPath(['T46U'], 'fw.rom')).toEqual({ ok: true, segments: ['T46U', 'fw.rom'] });
    expect(resolveFtpPath(['T46U'], '/fw.rom')).toEqual({ ok: true, segments: ['fw.rom'] });
    expect(resolveFtpPath([], './a//b/')).toEqual({ ok: true, segments: ['a', 'b'] });
    expect(resolveFtpPath(['x'], '')).toEqual({ ok: true, segments: ['x'] });
    expect(treePath(['T23G_1'], ['y.cfg'])).toBe('/T23G_1/y.cfg');
    expect(quotePath(['a"b'])).toBe('"/a""b"');
  });

  it.each([
    ['..', 'traversal'], ['a/../../b', 'traversal'], ['/..', 'traversal'], ['..\\x', 'backslash'],
    ['a\0b', 'nul_byte'], ['a\rb', 'control_character'], ['a'.repeat(256), 'too_long'], [`${'a/'.repeat(600)}`, 'too_long'],
  ])('refuses %j (%s)', (arg, reason) => {
    expect(resolveFtpPath([], arg)).toEqual({ ok: false, reason });
  });
});

describe('PORT and EPRT', () => {
  it('parses RFC 959 and RFC 2428 forms', () => {
    expect(parsePort('127,0,0,1,4,1')).toEqual({ ok: true, host: '127.0.0.1', port: 1025 });
    expect(parseEprt('|1|127.0.0.1|6446|')).toEqual({ ok: true, host: '127.0.0.1', port: 6446 });
    expect(parseEprt('|2|::1|6446|')).toEqual({ ok: true, host: '::1', port: 6446 });
  });
  it.each(['127,0,0,1,4', '300,0,0,1,1,1', 'a,b,c,d,e,f'])('refuses PORT %j', (a) => expect(parsePort(a).ok).toBe(false));
  it.each(['|1|::1|21|', '|2|1.2.3.4|21|', '|1|1.2.3.4|0|', '1|1.2.3.4|21|', '|1|1.2.3.4|99999|'])('refuses EPRT %j', (a) => expect(parseEprt(a).ok).toBe(false));
  it('answers 522 for an unknown network protocol', () => expect(parseEprt('|3|x|21|')).toMatchObject({ ok: false, code: 522 }));
});

describe('listing formats', () => {
  const now = Date.UTC(2024, 4, 10, 12, 0, 0);
  const file = { name: 'fw.rom', kind: 'file' as const, size: 1234, mtimeMs: Date.UTC(2024, 4, 9, 8, 5, 0) };
  const old = { name: 'T46U', kind: 'dir' as const, size: 0, mtimeMs: Date.UTC(2020, 0, 2, 0, 0, 0) };
  it('LIST lines look like ls -l (time for recent, year for old)', () => {
    expect(listLine(file, now)).toBe('-r--r--r-- 1 provd provd         1234 May  9 08:05 fw.rom');
    expect(listLine(old, now)).toBe('dr-xr-xr-x 1 provd provd            0 Jan  2  2020 T46U');
  });
  it('MLSD facts (RFC 3659 §7)', () => {
    expect(timeVal(file.mtimeMs)).toBe('20240509080500');
    expect(mlsxLine(file)).toBe('type=file;size=1234;modify=20240509080500;perm=r; fw.rom');
    expect(mlsxLine(old)).toBe('type=dir;modify=20200102000000;perm=el; T46U');
  });
  it('NLST names, CRLF-terminated', () => {
    expect(formatListing('NLST', [file, old], now).toString()).toBe('fw.rom\r\nT46U\r\n');
  });
});

describe('scrypt password hashes', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('s3cret');
    const b = await hashPassword('s3cret');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('s3cret', a)).toBe(true);
    expect(await verifyPassword('s3cret ', a)).toBe(false);
  });
  it('refuses malformed or absurd parameters without hashing', async () => {
    for (const h of ['', 'scrypt$1$8$1$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==', 'scrypt$1073741824$8$1$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==', 'bcrypt$x']) {
      expect(await verifyPassword('x', h)).toBe(false);
    }
  });
});

describe('FTP accounts', () => {
  it('turns logins into grants; unknown users and wrong passwords fail alike', async () => {
    const hash = await hashPassword('pw');
    const built = FtpAccounts.from([
      { user: 'folder', password_hash: hash, folder: 'T23G_1' },
      { user: 'dev', password_hash: hash, device: '80:5E:C0:D5:7D:72' },
    ], true);
    if (!('accounts' in built)) throw new Error(built.problems.join());
    const a = built.accounts;
    expect(await a.login('folder', 'pw')).toMatchObject({ ok: true, grant: { user: 'folder', folder: ['T23G_1'], anonymous: false } });
    const dev = await a.login('dev', 'pw');
    expect(dev).toMatchObject({ ok: true, grant: { device: '805ec0d57d72' } });
    if (dev.ok) {
      expect(dev.credentials.verify('pw')).toBe(true);
      expect(dev.credentials.verify('other')).toBe(false);
    }
    expect((await a.login('dev', 'nope')).ok).toBe(false);
    // A remembered good password does not let a wrong one through, nor another user's.
    expect((await a.login('dev', 'pw')).ok).toBe(true);
    expect((await a.login('dev', 'pw ')).ok).toBe(false);
    expect((await a.login('ghost', 'pw')).ok).toBe(false);
    expect(await a.login('FTP', 'me@')).toMatchObject({ ok: true, grant: { anonymous: true, user: 'anonymous' } });
  });
  it('reports bad accounts', () => {
    const r = FtpAccounts.from([
      { user: 'x', password_hash: 'h', folder: '../etc' },
      { user: 'x', password_hash: 'h', device: 'nope' },
      { user: 'anonymous', password_hash: 'h' },
    ], false);
    expect('problems' in r && r.problems).toEqual([
      'ftp.users[0] (x): folder "../etc" is not a plain path (traversal)',
      'ftp.users[1] (x): user is listed twice',
      'ftp.users[1] (x): device "nope" is not a MAC address',
      'ftp.users[2] (anonymous): anonymous is the anonymous login; set ftp.anonymous instead',
    ]);
  });
  it('has no anonymous login unless enabled', async () => {
    const r = FtpAccounts.from([], false);
    if (!('accounts' in r)) throw new Error();
    expect((await r.accounts.login('anonymous', 'x')).ok).toBe(false);
  });
});

describe('FtpGuard', () => {
  it('caps connections per address and counts failures in a sliding window', () => {
    let now = 0;
    const g = new FtpGuard({ maxConnectionsPerAddress: 2, loginFailures: 2, loginWindowMs: 1000, now: () => now });
    expect([g.open('a'), g.open('a'), g.open('a'), g.open('b')]).toEqual([true, true, false, true]);
    g.close('a');
    expect(g.open('a')).toBe(true);
    expect(g.loginFailed('a')).toBe(false);
    expect(g.loginBlocked('a')).toBe(false);
    expect(g.loginFailed('a')).toBe(true);
    expect(g.loginBlocked('a')).toBe(true);
    expect(g.loginBlocked('b')).toBe(false);
    now = 1500;
    expect(g.loginBlocked('a')).toBe(false);
  });
});

describe('AccessPolicy with session grants', () => {
  const OWNER = parseMac('805ec0d57d72')!;
  const OTHER = parseMac('249ad8102030')!;
  const policy = new AccessPolicy({
    allowedNetworks: ['127.0.0.0/8'],
    secretMode: 'named',
    realm: 'provd',
    folders: [{ folder: ['T23G_1'], realm: 'a', users: [{ user: 'http-user', password: 'p' }] }],
    scanner: new ScannerGuard({ unknownMacs: 5, windowMs: 1000, blockMs: 1000, now: () => 0 }),
  });
  const req = (grant: SessionGrant): FetchRequest => ({ protocol: 'ftp', peer: { address: '127.0.0.1', port: 1 }, path: '/x', grant });
  const path = (p: string): SafePath => {
    const r = parseRequestPath(p);
    if (isRejected(r)) throw new Error(p);
    return r;
  };
  const folderLogin: SessionGrant = { user: 'f', folder: ['T23G_1'], anonymous: false };
  const anon: SessionGrant = { user: 'anonymous', folder: [], anonymous: true };
  const device: SessionGrant = { user: 'd', folder: [], anonymous: false, device: OWNER };

  it('confines a login to its folder; a named login needs no HTTP folder credentials', () => {
    expect(policy.folderAuth(req(folderLogin), path('T23G_1/y.cfg'))).toEqual({ allow: true, user: 'f' });
    expect(policy.folderAuth(req(folderLogin), path('other/y.cfg'))).toMatchObject({ allow: false, reason: 'outside_login_folder' });
    expect(policy.folderAuth(req(anon), path('T23G_1/y.cfg'))).toMatchObject({ allow: false, reason: 'auth_required' });
  });
  it('gives anonymous no secret file and no write; a device login only its own', () => {
    const named = { mac: OWNER, by: 'path' as const };
    expect(policy.secretFile(req(anon), named, OWNER, undefined)).toMatchObject({ allow: false, answer: 'not_found' });
    expect(policy.upload(req(anon), named, OWNER, undefined)).toMatchObject({ allow: false, reason: 'read_only_login' });
    expect(policy.secretFile(req(device), {}, OWNER, undefined).allow).toBe(true);
    expect(policy.secretFile(req(device), { mac: OTHER, by: 'path' }, OTHER, undefined)).toMatchObject({ allow: false, answer: 'not_found' });
    expect(policy.listsDeviceFile(req(device), OWNER)).toBe(true);
    expect(policy.listsDeviceFile(req(folderLogin), OWNER)).toBe(false);
  });
});

describe('ftp config section', () => {
  it('accepts a full section and refuses bad ranges, MACs, folders and hashes', async () => {
    const { configSchema } = await import('../../src/config/schema.js');
    const hash = await hashPassword('x');
    const ok = configSchema.safeParse({ ftp: { enabled: true, passive_ports: '50000-50100', passive_address: '203.0.113.1',
      users: [{ user: 'a', password_hash: hash, folder: 'T23G_1' }, { user: 'b', password_hash: hash, device: '805ec0d57d72' }] } });
    expect(ok.success).toBe(true);
    const bad = (ftp: Record<string, unknown>): string[] => {
      const r = configSchema.safeParse({ ftp });
      return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
    };
    expect(bad({ passive_ports: '50100-50000' })).toEqual(['ftp.passive_ports']);
    expect(bad({ passive_ports: '0-10' })).toEqual(['ftp.passive_ports']);
    expect(bad({ passive_address: 'example.com' })).toEqual(['ftp.passive_address']);
    expect(bad({ users: [{ user: 'a', password_hash: 'plain' }] })).toEqual(['ftp.users.0.password_hash']);
    expect(bad({ users: [{ user: 'a', password_hash: hash, device: 'nope' }] })).toEqual(['ftp.users.0.device']);
    expect(bad({ users: [{ user: 'a', password_hash: hash, folder: '../x' }] })).toEqual(['ftp.users.0.folder']);
    expect(bad({ users: [{ user: 'a b', password_hash: hash }] })).toEqual(['ftp.users.0.user']);
  });
});

describe('CommandLines', () => {
  it('splits CRLF and bare LF lines across chunks and flags an over-long unfinished line', async () => {
    const { CommandLines } = await import('../../src/protocols/ftp/command-lines.js');
    const l = new CommandLines(16);
    expect(l.push(Buffer.from('USER a\r\nPA'))).toBe(true);
    expect([l.shift(), l.queued, l.pending]).toEqual(['USER a', 0, true]);
    expect(l.push(Buffer.from('SS b\nNOOP\r\n'))).toBe(true);
    expect([l.shift(), l.shift(), l.shift(), l.pending]).toEqual(['PASS b', 'NOOP', undefined, false]);
    expect(l.push(Buffer.from('x'.repeat(17)))).toBe(false);
  });
});
