/** TFTP codec and option negotiation against hand-written byte fixtures (RFC 1350, 2347-2349, 7440). */
import { describe, expect, it } from 'vitest';
import { decode, encodeAck, encodeData, encodeError, encodeOack, encodeRequest, toNetascii } from '../../src/protocols/tftp/codec.js';
import { KNOWN_OPTIONS, negotiate, type OptionLimits } from '../../src/protocols/tftp/options.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('decode', () => {
  it('reads an RRQ with options (names lower-cased, values kept, first of a repeat wins)', () => {
    // 00 01 "T46U.cfg" 00 "OCTET" 00 "BLKSIZE" 00 "1468" 00 "tsize" 00 "0" 00 "blksize" 00 "8" 00
    const buf = Buffer.concat([hex('0001'), ascii('T46U.cfg\0OCTET\0BLKSIZE\x001468\0tsize\x000\0blksize\x008\0')]);
    const d = decode(buf);
    expect(d).toEqual({
      ok: true,
      packet: { op: 'rrq', filename: 'T46U.cfg', mode: 'octet', options: new Map([['blksize', '1468'], ['tsize', '0']]) },
    });
  });

  it('reads a WRQ in netascii without options', () => {
    expect(decode(Buffer.concat([hex('0002'), ascii('a-local.cfg\0netascii\0')]))).toEqual({
      ok: true,
      packet: { op: 'wrq', filename: 'a-local.cfg', mode: 'netascii', options: new Map() },
    });
  });

  it('drops a dangling option name but keeps the request', () => {
    const d = decode(Buffer.concat([hex('0001'), ascii('f\0octet\0blksize\x001024\0grandstream_x\0')]));
    expect(d.ok && d.packet.op === 'rrq' && [...d.packet.options]).toEqual([['blksize', '1024']]);
  });

  it('reads DATA, ACK (padded too), ERROR (with and without its NUL) and OACK', () => {
    expect(decode(hex('0003 ffff 616263'))).toEqual({ ok: true, packet: { op: 'data', block: 65535, data: ascii('abc') } });
    expect(decode(hex('0003 0001'))).toEqual({ ok: true, packet: { op: 'data', block: 1, data: Buffer.alloc(0) } });
    expect(decode(hex('0004 0000'))).toEqual({ ok: true, packet: { op: 'ack', block: 0 } });
    expect(decode(hex('0004 1234 0000'))).toEqual({ ok: true, packet: { op: 'ack', block: 0x1234 } });
    expect(decode(hex('0005 0001 6e6f00'))).toEqual({ ok: true, packet: { op: 'error', code: 1, message: 'no' } });
    expect(decode(hex('0005 0008 6e6f'))).toEqual({ ok: true, packet: { op: 'error', code: 8, message: 'no' } });
    expect(decode(Buffer.concat([hex('0006'), ascii('blksize\x00512\0')]))).toEqual({
      ok: true,
      packet: { op: 'oack', options: new Map([['blksize', '512']]) },
    });
  });

  it.each([
    ['empty', '', 'too_short', undefined],
    ['one byte', '00', 'too_short', undefined],
    ['unknown opcode', '0009 0000', 'unknown_opcode', 9],
    ['opcode zero', '0000', 'unknown_opcode', 0],
    ['truncated ACK', '0004 00', 'too_short', 4],
    ['truncated DATA', '0003', 'too_short', 3],
    ['RRQ without any NUL', '0001 6162', 'missing_nul', 1],
    ['RRQ without mode', '0001 6100', 'missing_nul', 1],
    ['RRQ with unterminated mode', '0001 6100 6f63746574', 'missing_nul', 1],
    ['RRQ with empty name', '0001 00 6f6374657400', 'empty_filename', 1],
    ['OACK with odd fields', '0006 6100', 'bad_options', 6],
  ])('rejects %s', (_what, bytes, reason, opcode) => {
    expect(decode(hex(bytes))).toMatchObject({ ok: false, reason, opcode });
  });

  it('rejects a bad mode and an over-long name but keeps the name for the ledger', () => {
    expect(decode(Buffer.concat([hex('0001'), ascii('x.cfg\0mail\0')]))).toEqual({ ok: false, reason: 'bad_mode', opcode: 1, filename: 'x.cfg' });
    const long = 'a'.repeat(2000);
    const d = decode(Buffer.concat([hex('0001'), ascii(`${long}\0octet\0`)]));
    expect(d).toMatchObject({ ok: false, reason: 'filename_too_long', filename: 'a'.repeat(1024) });
  });

  it('never throws on random bytes', () => {
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let i = 0; i < 5000; i++) {
      const b = Buffer.from(Array.from({ length: rnd() % 40 }, () => rnd() % 8 === 0 ? 0 : rnd()));
      if (b.length >= 2 && rnd() % 2 === 0) b.writeUInt16BE((rnd() % 7) + 0, 0);
      expect(() => decode(b)).not.toThrow();
    }
  });
});

describe('encode', () => {
  it('writes the RFC byte layouts', () => {
    expect(encodeData(70_000, ascii('hi')).toString('hex')).toBe('0003' + (70_000 & 0xffff).toString(16).padStart(4, '0') + '6869');
    expect(encodeAck(65_536).toString('hex')).toBe('00040000');
    expect(encodeError(1, 'File not found').toString('hex')).toBe('00050001' + ascii('File not found').toString('hex') + '00');
    expect(encodeError(0, 'bad\n\u00e9').toString('latin1')).toBe('\0\x05\0\0bad??\0');
    expect(encodeOack(new Map([['blksize', '1468'], ['tsize', '42']])).toString('latin1')).toBe('\0\x06blksize\x001468\0tsize\x0042\0');
    expect(encodeRequest({ op: 'rrq', filename: 'a', mode: 'octet', options: new Map([['windowsize', '16']]) }).toString('latin1')).toBe(
      '\0\x01a\0octet\0windowsize\x0016\0',
    );
  });

  it('converts to netascii (LF to CR LF, bare CR to CR NUL)', () => {
    expect(toNetascii(ascii('a\nb\rc')).toString('latin1')).toBe('a\r\nb\r\0c');
    const plain = ascii('no line ends');
    expect(toNetascii(plain)).toBe(plain);
  });
});

describe('negotiate', () => {
  const limits: OptionLimits = { maxBlksize: 1468, maxWindowsize: 64, allowed: new Set(KNOWN_OPTIONS) };
  const opts = (o: Record<string, string>): Map<string, string> => new Map(Object.entries(o));

  it('clamps blksize and windowsize, answers tsize with the size, echoes timeout', () => {
    const n = negotiate(opts({ blksize: '65464', windowsize: '1000', tsize: '0', timeout: '3' }), limits, 12345);
    expect(n).toMatchObject({ blksize: 1468, windowsize: 64, timeoutSeconds: 3, ignored: [] });
    expect([...n.oack]).toEqual([['blksize', '1468'], ['windowsize', '64'], ['tsize', '12345'], ['timeout', '3']]);
  });

  it('ignores unknown options (Grandstream sends its own) and invalid values', () => {
    const n = negotiate(
      opts({ grandstream_mac: '000b82010203', blksize: '7', windowsize: '0', timeout: '256', tsize: 'abc', multicast: '' }),
      limits,
      10,
    );
    expect(n).toMatchObject({ blksize: 512, windowsize: 1, oack: new Map() });
    expect(n.ignored).toEqual(['grandstream_mac', 'blksize', 'windowsize', 'timeout', 'tsize', 'multicast']);
    expect(negotiate(opts({ blksize: '1e3', timeout: '-1', windowsize: '99999999999999999999999' }), limits, 1).oack.size).toBe(0);
  });

  it('echoes the client tsize on a write', () => {
    expect(negotiate(opts({ tsize: '300' }), limits, undefined)).toMatchObject({ declaredSize: 300, oack: new Map([['tsize', '300']]) });
  });

  it('grants only what a profile allows', () => {
    const none = negotiate(opts({ blksize: '1024', tsize: '0' }), { ...limits, allowed: new Set() }, 5);
    expect(none.oack.size).toBe(0);
    expect(none.blksize).toBe(512);
    expect(negotiate(opts({ blksize: '1024' }), { ...limits, maxBlksize: 512 }, 5).blksize).toBe(512);
  });
});
