/** Unit tests for the admin's small pure pieces: tokens, parameters, masking, diff, waves, SIP codec and digest. */
import { describe, expect, it } from 'vitest';
import { lineDiff } from '../../src/admin/diff.js';
import { maskText } from '../../src/admin/mask.js';
import { Params } from '../../src/admin/params.js';
import { bearer, envToken, matchToken, parseTokens } from '../../src/admin/tokens.js';
import { answerChallenge, parseChallenge } from '../../src/notify/digest.js';
import { buildNotify, flavour, parseResponse } from '../../src/notify/message.js';
import { waveSizes } from '../../src/resync/select.js';

describe('tokens', () => {
  it('parses scopes, refuses short tokens and unknown scopes with the line', () => {
    const t = parseTokens('# c\n\nabcdefghijklmnop1 resync,secrets\nshort\nabcdefghijklmnop2 root\nabcdefghijklmnop3\n', 'tok');
    expect(t.entries.map((e) => [...e.scopes].sort())).toEqual([['read', 'resync', 'secrets'], ['read']]);
    expect(t.problems).toEqual(['tok:4: token is shorter than 16 characters', "tok:5: unknown scope 'root' (known: read, resync, jobs, secrets)"]);
    expect(matchToken(t.entries, 'abcdefghijklmnop3')?.origin).toBe('tok:6');
    expect(matchToken(t.entries, 'abcdefghijklmnop')).toBeUndefined();
    expect(matchToken(t.entries, '')).toBeUndefined();
  });
  it('gives the env token every scope but secrets', () => {
    expect([...envToken('0123456789abcdefX', 'PROVD_ADMIN_TOKEN').entries[0]!.scopes]).toEqual(['read', 'resync', 'jobs']);
    expect(envToken(undefined, 'X').entries).toEqual([]);
    expect(envToken('short', 'X').problems).toEqual(['X: token is shorter than 16 characters']);
  });
  it('reads only Bearer credentials', () => {
    expect(bearer('Bearer abc')).toBe('abc');
    expect(bearer('bearer   abc ')).toBe('abc');
    expect(bearer('Basic abc')).toBeUndefined();
    expect(bearer('Bearer a b')).toBeUndefined();
    expect(bearer(undefined)).toBeUndefined();
  });
});

describe('Params', () => {
  it('collects every problem, including repeats and unknown names', () => {
    const p = new Params(new URLSearchParams('limit=5&limit=6&mac=xx&since=2024-13-01&state=ok&q=&zzz=1'));
    p.int('limit', 1, 10);
    p.mac('mac');
    p.time('since');
    p.oneOf('state', ['a', 'b']);
    p.string('q');
    expect(p.finish().map((x) => x.param)).toEqual(['limit', 'mac', 'since', 'state', 'q', 'zzz']);
  });
  it('reads good values', () => {
    const p = new Params(new URLSearchParams('limit=5&mac=80:5E:C0:D5:7D:72&since=2024-05-01T08:00:00%2B02:00'));
    expect(p.int('limit', 1, 10)).toBe(5);
    expect(p.mac('mac')).toBe('805ec0d57d72');
    expect(p.time('since')).toBe(Date.UTC(2024, 4, 1, 6));
    expect(p.finish()).toEqual([]);
  });
});

describe('maskText', () => {
  it('masks known secrets anywhere and password-looking keys, keeps the rest', () => {
    const text = [
      'account.1.password = hunter22',
      'account.1.user_name = 3223',
      'note = hunter22 appears twice',
      '<P34 value="x"/><account sip_password="old-pw" name="a"/>',
      'static.security.user_password = admin:admin',
      'PIN: 1234',
    ].join('\n');
    const out = maskText(text, ['hunter22']);
    expect(out).toContain('account.1.password = ********');
    expect(out).toContain('account.1.user_name = 3223');
    expect(out).toContain('note = ******** appears twice');
    expect(out).toContain('sip_password="********"');
    expect(out).toContain('name="a"');
    expect(out).toContain('static.security.user_password = ********');
    expect(out).toContain('PIN: ********');
    expect(out).not.toMatch(/hunter22|old-pw|admin:admin|1234/);
  });
});

describe('lineDiff', () => {
  it('marks removed and added lines in order', () => {
    expect(lineDiff('a\nb\nc', 'a\nB\nc\nd')).toEqual([
      { op: ' ', text: 'a' }, { op: '-', text: 'b' }, { op: '+', text: 'B' }, { op: ' ', text: 'c' }, { op: '+', text: 'd' },
    ]);
    expect(lineDiff('x', 'x')).toEqual([{ op: ' ', text: 'x' }]);
  });
});

describe('waveSizes', () => {
  it('uses the sizes in order and repeats the last', () => {
    expect(waveSizes(40, [1, 5, 25, 100])).toEqual([1, 5, 25, 9]);
    expect(waveSizes(12, [1, 5])).toEqual([1, 5, 5, 1]);
    expect(waveSizes(3, undefined)).toEqual([3]);
    expect(waveSizes(0, [1])).toEqual([]);
  });
});

describe('SIP digest (RFC 2617 §3.5 vector)', () => {
  it('computes the published response for qop=auth', () => {
    const c = parseChallenge('Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"');
    expect(c).toMatchObject({ realm: 'testrealm@host.com', qop: ['auth', 'auth-int'], algorithm: 'MD5' });
    const h = answerChallenge(c!, { user: 'Mufasa', password: 'Circle Of Life' }, 'GET', '/dir/index.html', '0a4f113b')!;
    expect(h).toContain('response="6629fae49393a05397450978507c4ef1"');
    expect(h).toContain('opaque="5ccc069c403ebaf9f0171e9517f40e41"');
    expect(h).toContain('nc=00000001');
  });
  it('refuses what it cannot answer', () => {
    expect(parseChallenge('Basic realm="x"')).toBeUndefined();
    expect(parseChallenge('Digest nonce="n"')).toBeUndefined();
    expect(answerChallenge(parseChallenge('Digest realm="r", nonce="n", algorithm=SHA-256')!, { user: 'u', password: 'p' }, 'NOTIFY', 'sip:a@b')).toBeUndefined();
  });
});

describe('SIP messages', () => {
  it('builds a NOTIFY with an exact Content-Length and parses compact, folded responses', () => {
    const fl = flavour('service-control', false);
    const packet = buildNotify({
      target: { address: '::1', port: 5060, user: 'anonymous' }, local: { address: '::1', port: 4000 },
      callId: 'c1', fromTag: 't1', cseq: 1, branch: 'z9hG4bKabc', flavour: fl,
    }).toString();
    expect(packet.startsWith('NOTIFY sip:anonymous@[::1]:5060 SIP/2.0\r\n')).toBe(true);
    expect(packet).toContain(`Content-Length: ${Buffer.byteLength(fl.body)}\r\n\r\naction=restart`);
    const r = parseResponse(Buffer.from('SIP/2.0 401 Unauthorized\r\nv: SIP/2.0/UDP x;branch=z9hG4bKabc\r\nWWW-Authenticate: Digest realm="r",\r\n nonce="n"\r\n\r\n'));
    expect(r?.code).toBe(401);
    expect(r?.headers.get('via')).toEqual(['SIP/2.0/UDP x;branch=z9hG4bKabc']);
    expect(r?.headers.get('www-authenticate')).toEqual(['Digest realm="r", nonce="n"']);
    expect(parseResponse(Buffer.from('NOTIFY sip:x SIP/2.0\r\n\r\n'))).toBeUndefined();
  });
});

describe('FetchStats exposition', () => {
  it('writes counters, a cumulative histogram and the active gauge', async () => {
    const { FetchStats } = await import('../../src/admin/fetch-stats.js');
    const f = new FetchStats();
    f.started('http');
    f.started('tftp');
    f.recorded('http', 'served', 100, 3);
    f.recorded('http', 'served', 50, 700);
    const t = f.text();
    expect(t).toContain('provd_requests_total{protocol="http",outcome="served"} 2');
    expect(t).toContain('provd_bytes_total{protocol="http",outcome="served"} 150');
    expect(t).toContain('provd_transfer_duration_seconds_bucket{le="0.005",protocol="http"} 1');
    expect(t).toContain('provd_transfer_duration_seconds_bucket{le="0.5",protocol="http"} 1');
    expect(t).toContain('provd_transfer_duration_seconds_bucket{le="1",protocol="http"} 2');
    expect(t).toContain('provd_transfer_duration_seconds_bucket{le="+Inf",protocol="http"} 2');
    expect(t).toContain('provd_transfer_duration_seconds_count{protocol="http"} 2');
    expect(t).toContain('provd_active_transfers{protocol="http"} 0');
    expect(t).toContain('provd_active_transfers{protocol="tftp"} 1');
  });
});
