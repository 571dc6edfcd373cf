/**
 * Tables for the HTTP adapter's pure wire parsers: request targets, byte ranges, validators,
 * Authorization headers and nonces. (Pure functions; they live beside the socket tests because
 * they belong to the same adapter.)
 */
import { describe, expect, it } from 'vitest';
import { parseAuthParams, parseAuthorization } from '../../src/protocols/http/auth-header.js';
import { ifNoneMatchHits, ifRangeAllows, notModifiedSince } from '../../src/protocols/http/conditional.js';
import { NonceAuthority } from '../../src/protocols/http/nonce.js';
import { chooseRange } from '../../src/protocols/http/range.js';
import { parseRequestTarget } from '../../src/protocols/http/request-target.js';

describe('parseRequestTarget', () => {
  it.each([
    ['/y000000000000.cfg', '/y000000000000.cfg'],
    ['/Folder%20Path/HTTP%20Directory/sip.cfg?x=1', '/Folder Path/HTTP Directory/sip.cfg'],
    ['/a+b.cfg', '/a+b.cfg'],
    ['/%E4%B8%AD.cfg', '/中.cfg'],
    ['/a%00b', '/a\u0000b'],
    ['/%2e%2e/%2E%2E/etc/passwd', '/../../etc/passwd'],
    ['/a.cfg#frag', '/a.cfg'],
    ['http://10.2.11.101:8088/ProvisioningDir/a.cfg?q', '/ProvisioningDir/a.cfg'],
    ['HTTPS://host', '/'],
    ['http://host?x', '/'],
  ])('%s -> %s', (target, path) => {
    expect(parseRequestTarget(target, 1024)).toEqual({ ok: true, path });
  });

  it.each([
    ['/a%zz', 400, 'bad_percent_encoding'],
    ['/a%2', 400, 'bad_percent_encoding'],
    ['/a%ff', 400, 'bad_percent_encoding'],
    ['*', 400, 'bad_request_target'],
    ['ftp://host/a', 400, 'bad_request_target'],
    ['http:/a.cfg', 400, 'bad_request_target'],
    [`/${'a'.repeat(1024)}`, 414, 'target_too_long'],
  ])('%s is refused', (target, status, reason) => {
    expect(parseRequestTarget(target, 1024)).toMatchObject({ ok: false, status, reason });
  });
});

describe('chooseRange', () => {
  it.each([
    [undefined, 100, { kind: 'full' }],
    ['bytes=0-9', 100, { kind: 'partial', start: 0, end: 9 }],
    ['bytes=90-', 100, { kind: 'partial', start: 90, end: 99 }],
    ['bytes=90-500', 100, { kind: 'partial', start: 90, end: 99 }],
    ['bytes=-10', 100, { kind: 'partial', start: 90, end: 99 }],
    ['bytes=-1000', 100, { kind: 'partial', start: 0, end: 99 }],
    ['Bytes = 5-5', 100, { kind: 'partial', start: 5, end: 5 }],
    ['bytes=100-', 100, { kind: 'unsatisfiable' }],
    ['bytes=-0', 100, { kind: 'unsatisfiable' }],
    ['bytes=0-', 0, { kind: 'unsatisfiable' }],
    ['bytes=-5', 0, { kind: 'unsatisfiable' }],
    ['bytes=9-3', 100, { kind: 'full' }],
    ['bytes=0-1,4-5', 100, { kind: 'full' }],
    ['bytes=-', 100, { kind: 'full' }],
    ['bytes=a-b', 100, { kind: 'full' }],
    ['items=0-1', 100, { kind: 'full' }],
  ])('%s of %i bytes', (header, size, expected) => {
    expect(chooseRange(header, size)).toEqual(expected);
  });
});

describe('validators', () => {
  const etag = '"0123abcd"';
  it.each([
    ['"0123abcd"', true],
    ['W/"0123abcd"', true],
    ['"x", "0123abcd"', true],
    ['0123abcd', true],
    ['*', true],
    ['"0123abce"', false],
    ['', false],
  ])('If-None-Match %s', (header, hit) => {
    expect(ifNoneMatchHits(header, etag)).toBe(hit);
  });

  const mtime = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
  it('If-Modified-Since compares at one-second resolution', () => {
    expect(notModifiedSince('Thu, 02 Jan 2025 03:04:05 GMT', mtime)).toBe(true);
    expect(notModifiedSince('Thu, 02 Jan 2025 03:04:04 GMT', mtime)).toBe(false);
    expect(notModifiedSince('yesterday', mtime)).toBe(false);
  });

  it('If-Range uses strong comparison and exact dates', () => {
    expect(ifRangeAllows('"0123abcd"', etag, mtime)).toBe(true);
    expect(ifRangeAllows('W/"0123abcd"', etag, mtime)).toBe(false);
    expect(ifRangeAllows('"other"', etag, mtime)).toBe(false);
    expect(ifRangeAllows('Thu, 02 Jan 2025 03:04:05 GMT', etag, mtime)).toBe(true);
    expect(ifRangeAllows('Thu, 02 Jan 2025 03:04:06 GMT', etag, mtime)).toBe(false);
  });
});

describe('Authorization', () => {
  it('reads Basic, with a colon in the password', () => {
    const v = Buffer.from('user:pa:ss').toString('base64');
    expect(parseAuthorization(`Basic ${v}`)).toEqual({ scheme: 'basic', user: 'user', password: 'pa:ss' });
    expect(parseAuthorization(`basic ${v}`)).toMatchObject({ user: 'user' });
    expect(parseAuthorization('Basic !!!')).toBeUndefined();
    expect(parseAuthorization(`Basic ${Buffer.from('nocolon').toString('base64')}`)).toBeUndefined();
    expect(parseAuthorization('Bearer abc')).toBeUndefined();
  });

  it('reads Digest parameters, quoted and not', () => {
    const a = parseAuthorization('Digest username="a\\"b", realm="r", nonce="n", uri=/x/y, qop=auth, nc=00000001');
    expect(a?.scheme).toBe('digest');
    const p = a?.scheme === 'digest' ? a.params : new Map();
    expect(Object.fromEntries(p)).toEqual({ username: 'a"b', realm: 'r', nonce: 'n', uri: '/x/y', qop: 'auth', nc: '00000001' });
  });

  it('rejects malformed or repeated Digest parameters', () => {
    expect(parseAuthParams('username="a')).toBeUndefined();
    expect(parseAuthParams('username="a", username="b"')).toBeUndefined();
    expect(parseAuthParams('=x')).toBeUndefined();
    expect(parseAuthParams('a="1" b="2"')).toBeUndefined();
  });
});

describe('NonceAuthority', () => {
  it('accepts its own nonces within the lifetime, marks older ones stale, and rejects forgeries', () => {
    let now = 1_700_000_000_000;
    const secret = Buffer.alloc(32, 7);
    const a = new NonceAuthority({ secret, lifetimeSeconds: 60, now: () => now });
    const nonce = a.issue();
    expect(a.check(nonce)).toBe('valid');
    now += 61_000;
    expect(a.check(nonce)).toBe('stale');
    expect(new NonceAuthority({ secret: Buffer.alloc(32, 8), now: () => now }).check(nonce)).toBe('invalid');
    const [stamp, mac] = nonce.split('-');
    const forged = `${(parseInt(stamp ?? '0', 16) + 60).toString(16)}-${mac ?? ''}`;
    expect(a.check(forged)).toBe('invalid');
    expect(a.check('garbage')).toBe('invalid');
  });
});
