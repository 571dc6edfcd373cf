import { describe, expect, it } from 'vitest';
import {
  decodeIpv4List,
  decodeText,
  decodeTlv,
  decodeVendorIdentifying,
  encodeIpv4List,
  encodeOption43,
  encodeSipServers,
  encodeText,
  encodeTyped,
  encodeV6BootfileUrl,
  encodeV6VendorOpts,
  encodeVendorIdentifying,
  OptionError,
} from '../../src/dhcp/options.js';
import { bytesMatch, hintsFor } from '../../src/dhcp/hints.js';
import { matchPattern } from '../../src/dhcp/rules.js';

const hex = (s: string) => Buffer.from(s.replace(/[\s:]/g, ''), 'hex');

describe('text options (66, 67, 159, 160)', () => {
  it('encodes a full URL as its bytes with no NUL (RFC 2132 §9.4)', () => {
    expect(encodeText('tftp://192.168.1.100/')).toEqual(hex('74 66 74 70 3a 2f 2f 31 39 32 2e 31 36 38 2e 31 2e 31 30 30 2f'));
    expect(encodeText('http://10.0.0.2:8080/$PN/').toString('latin1')).toBe('http://10.0.0.2:8080/$PN/');
  });
  it('refuses an empty string and drops a trailing NUL when decoding', () => {
    expect(() => encodeText('')).toThrow(OptionError);
    expect(decodeText(hex('61 62 00'))).toBe('ab');
  });
});

describe('address lists (150, 3, 6, 42)', () => {
  it('concatenates 4-byte addresses', () => {
    expect(encodeIpv4List(['10.0.0.2', '192.168.1.1'])).toEqual(hex('0a000002 c0a80101'));
    expect(decodeIpv4List(hex('0a000002c0a80101'))).toEqual(['10.0.0.2', '192.168.1.1']);
  });
  it('rejects bad addresses and odd lengths', () => {
    expect(() => encodeIpv4List(['10.0.0.256'])).toThrow(/not an IPv4/);
    expect(() => encodeIpv4List(['10.0.0'])).toThrow();
    expect(() => encodeIpv4List([])).toThrow();
    expect(() => decodeIpv4List(hex('0a0000'))).toThrow(/multiple of 4/);
  });
});

describe('option 120 (RFC 3361)', () => {
  it('encodes addresses with enc 1', () => {
    expect(encodeSipServers(['10.0.0.5', '10.0.0.6'])).toEqual(hex('01 0a000005 0a000006'));
  });
  it('encodes names with enc 0 in RFC 1035 label form', () => {
    expect(encodeSipServers(['sip.example.com'])).toEqual(hex('00 03 736970 07 6578616d706c65 03 636f6d 00'));
  });
  it('refuses to mix both forms', () => {
    expect(() => encodeSipServers(['10.0.0.5', 'sip.example.com'])).toThrow(/mix/);
  });
});

describe('option 43', () => {
  it('as a raw string (Fanvil convention)', () => {
    expect(encodeOption43({ kind: 'string', text: 'http://p/' })).toEqual(Buffer.from('http://p/'));
  });
  it('as TLV sub-options (RFC 2132 §8.4)', () => {
    const body = encodeOption43({ kind: 'tlv', subs: [{ code: 1, data: Buffer.from('http://acs/') }, { code: 2, data: hex('ab') }] });
    expect(body).toEqual(Buffer.concat([hex('01 0b'), Buffer.from('http://acs/'), hex('02 01 ab')]));
    expect(decodeTlv(body)).toEqual([{ code: 1, data: Buffer.from('http://acs/') }, { code: 2, data: hex('ab') }]);
  });
  it('rejects a sub-option running past the end', () => {
    expect(() => decodeTlv(hex('01 05 61 62'))).toThrow(/past the end/);
  });
});

describe('option 125 (RFC 3925)', () => {
  it('encodes enterprise(4) len(1) TLVs', () => {
    const body = encodeVendorIdentifying([{ enterprise: 3561, subs: [{ code: 1, data: Buffer.from('http://a/') }] }]);
    expect(body).toEqual(Buffer.concat([hex('00000de9 0b 01 09'), Buffer.from('http://a/')]));
    expect(decodeVendorIdentifying(body)).toEqual([{ enterprise: 3561, subs: [{ code: 1, data: Buffer.from('http://a/') }] }]);
  });
  it('rejects a truncated block', () => {
    expect(() => decodeVendorIdentifying(hex('00000de9 05 01'))).toThrow(/past the end/);
  });
});

describe('typed custom options (128-254)', () => {
  it('string, ipv4 and hex', () => {
    expect(encodeTyped({ type: 'string', value: 'tftp://192.168.1.100/' })).toEqual(Buffer.from('tftp://192.168.1.100/'));
    expect(encodeTyped({ type: 'ipv4', value: ['192.168.1.2'] })).toEqual(hex('c0a80102'));
    expect(encodeTyped({ type: 'hex', value: '01:04:c0:a8:01:02' })).toEqual(hex('0104c0a80102'));
    expect(() => encodeTyped({ type: 'hex', value: 'xyz' })).toThrow(OptionError);
  });
});

describe('DHCPv6 (59, 17)', () => {
  it('option 59 is code(2) len(2) URL (RFC 5970 §3.1)', () => {
    expect(encodeV6BootfileUrl('tftp://[fd00::2]/')).toEqual(Buffer.concat([hex('003b 0011'), Buffer.from('tftp://[fd00::2]/')]));
  });
  it('option 17 carries enterprise and 2-byte sub-options (RFC 8415 §21.17)', () => {
    const o = encodeV6VendorOpts(9, [{ code: 160, data: Buffer.from('http://p/') }]);
    expect(o).toEqual(Buffer.concat([hex('0011 0011 00000009 00a0 0009'), Buffer.from('http://p/')]));
  });
});

describe('vendor class matching as raw bytes (60, 77)', () => {
  // Polycom binary option 60: enterprise 13885, then TLVs (vendors.md §1.3).
  const polycom = Buffer.concat([hex('00 00 36 3d 21'), hex('01 07'), Buffer.from('Polycom'), hex('02 15'), Buffer.from('SoundPointIP-SPIP_601'), hex('ff')]);
  // Cisco enterprise VCI ends in NUL (vendors.md §1.3).
  const cisco = Buffer.from('Cisco Systems, Inc. IP Phone CP-7941G\0', 'latin1');
  const mpp = Buffer.from('Cisco Systems, Inc. IP Phone CP-7841-3PCC\0', 'latin1');

  it('matches Polycom by its enterprise prefix bytes', () => {
    expect(hintsFor('polycom').vendorClasses.some((h) => bytesMatch(polycom, h.bytes, h.at))).toBe(true);
    expect(bytesMatch(polycom, matchPattern('hex:00:00:36:3d'), 'prefix')).toBe(true);
    expect(bytesMatch(polycom, matchPattern('SoundPointIP'), 'contains')).toBe(true);
    expect(bytesMatch(Buffer.from('yealink'), matchPattern('hex:00:00:36:3d'), 'prefix')).toBe(false);
  });
  it('matches a Cisco suffix only with the NUL included', () => {
    expect(bytesMatch(mpp, matchPattern('CP-7841-3PCC\\0'), 'suffix')).toBe(true);
    expect(bytesMatch(mpp, matchPattern('CP-7841-3PCC'), 'suffix')).toBe(false);
    expect(bytesMatch(cisco, matchPattern('CP-7941G\\0'), 'suffix')).toBe(true);
    expect(bytesMatch(cisco, matchPattern('Cisco Systems, Inc. IP Phone CP-7941G\\0'), 'exact')).toBe(true);
  });
  it('tells the Cisco families apart by their vendor class', () => {
    const matches = (id: string, vci: Buffer): boolean => hintsFor(id).vendorClasses.some((h) => bytesMatch(vci, h.bytes, h.at));
    expect(matches('cisco-mpp', mpp)).toBe(true);
    expect(matches('cisco-mpp', cisco)).toBe(false);
    expect(matches('cisco-enterprise', cisco)).toBe(true);
    expect(matches('cisco-spa', Buffer.from('LINKSYS SPA-942'))).toBe(true);
    expect(matches('cisco-spa', Buffer.from('Cisco SPA504G'))).toBe(true);
    expect(matches('cisco-enterprise', Buffer.from('Cisco SPA504G'))).toBe(false);
    expect(hintsFor('cisco-enterprise').options.map((o) => o.code)).toEqual([150, 66]);
  });
});
