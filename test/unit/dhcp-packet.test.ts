import { describe, expect, it } from 'vitest';
import { buildReply, MessageType, parseMessage, replyLimit, type DhcpMessage } from '../../src/dhcp/packet.js';
import { clientPacket, replyOptions, yiaddrOf } from '../fixtures/dhcp/client-packet.js';

const MAC = '00:15:65:aa:bb:cc';

function parsed(bytes: Buffer): DhcpMessage {
  const r = parseMessage(bytes);
  if (!r.ok) throw new Error(r.reason);
  return r.message;
}

describe('parseMessage', () => {
  it('reads fields and options of a DISCOVER', () => {
    const m = parsed(clientPacket({ type: 1, mac: MAC, options: [[60, Buffer.from('yealink')], [55, Buffer.from([1, 3, 66, 43, 150, 160])]] }));
    expect(m.messageType).toBe(MessageType.DISCOVER);
    expect(m.hardware).toBe('001565aabbcc');
    expect(m.xid).toBe(0x1234abcd);
    expect(m.options.get(60)?.toString()).toBe('yealink');
    expect([...m.options.get(55)!]).toEqual([1, 3, 66, 43, 150, 160]);
  });
  it('concatenates split options (RFC 3396)', () => {
    const m = parsed(clientPacket({ type: 1, mac: MAC, options: [[77, Buffer.from('ab')], [77, Buffer.from('cd')]] }));
    expect(m.options.get(77)?.toString()).toBe('abcd');
  });
  it('reads options from the file and sname fields under option 52', () => {
    const file = Buffer.from([60, 3, 0x61, 0x62, 0x63, 255]);
    const sname = Buffer.from([77, 2, 0x78, 0x79, 255]);
    const m = parsed(clientPacket({ type: 1, mac: MAC, options: [[52, Buffer.from([3])]], fileField: file, snameField: sname }));
    expect(m.options.get(60)?.toString()).toBe('abc');
    expect(m.options.get(77)?.toString()).toBe('xy');
    expect(m.file).toBe('');
  });
  it('rejects bad input with a reason', () => {
    const good = clientPacket({ type: 1, mac: MAC });
    const cases: [Buffer, RegExp][] = [
      [good.subarray(0, 200), /truncated/],
      [Buffer.concat([good, Buffer.alloc(5000)]), /oversized/],
      [clientPacket({ type: 1, mac: MAC, cookie: 0x01020304 }), /magic cookie/],
      [Buffer.concat([good.subarray(0, good.length - 1), Buffer.from([60, 40, 1, 2])]), /past the end/],
      [clientPacket({ type: 1, mac: MAC, options: [[52, Buffer.from([7])]] }), /overload/],
      [clientPacket({ type: 1, mac: MAC, options: [[52, Buffer.from([1])]], fileField: Buffer.from([60, 200, 1]) }), /file field/],
      [clientPacket({ type: 9, mac: MAC }), /message type/],
    ];
    for (const [bytes, reason] of cases) {
      const r = parseMessage(bytes);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(reason);
    }
  });
  it('survives random garbage without throwing', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 255;
    const base = clientPacket({ type: 1, mac: MAC, options: [[60, Buffer.from('x')]] });
    for (let n = 0; n < 2000; n++) {
      const b = Buffer.from(base);
      for (let k = 0; k < 8; k++) b[236 + (rnd() % (b.length - 236))] = rnd();
      expect(() => parseMessage(b)).not.toThrow();
    }
  });
});

describe('buildReply', () => {
  const req = parsed(clientPacket({ type: 1, mac: MAC, flags: 0x8000 }));
  it('copies xid, flags and chaddr; puts 53 and 54 first', () => {
    const { bytes } = buildReply(req, { messageType: MessageType.OFFER, serverId: '10.0.0.1', yiaddr: '10.0.0.50', options: [[66, Buffer.from('tftp://10.0.0.1/')]] });
    expect(bytes[0]).toBe(2);
    expect(bytes.readUInt32BE(4)).toBe(0x1234abcd);
    expect(bytes.readUInt16BE(10)).toBe(0x8000);
    expect(bytes.subarray(28, 34).toString('hex')).toBe('001565aabbcc');
    expect(yiaddrOf(bytes)).toBe('10.0.0.50');
    expect(bytes.subarray(240, 249)).toEqual(Buffer.from([53, 1, 2, 54, 4, 10, 0, 0, 1]));
    expect(replyOptions(bytes).get(66)?.toString()).toBe('tftp://10.0.0.1/');
  });
  it('splits an option longer than 255 bytes (RFC 3396)', () => {
    const long = Buffer.alloc(300, 0x61);
    const { bytes } = buildReply(req, { messageType: MessageType.ACK, serverId: '10.0.0.1', options: [[160, long]] }, 1400);
    expect(replyOptions(bytes).get(160)).toEqual(long);
  });
  it('never exceeds the limit: spills into file/sname (option 52), then leaves options out', () => {
    const opts: [number, Buffer][] = [];
    for (let code = 128; code < 140; code++) opts.push([code, Buffer.alloc(60, code)]);
    const { bytes, dropped } = buildReply(req, { messageType: MessageType.ACK, serverId: '10.0.0.1', options: opts }, 548);
    expect(bytes.length).toBeLessThanOrEqual(548);
    const got = replyOptions(bytes);
    expect(got.get(52)?.[0]).toBeGreaterThan(0);
    expect(dropped.length).toBeGreaterThan(0);
    for (const [code, data] of opts) if (!dropped.includes(code)) expect(got.get(code)).toEqual(data);
    expect(got.size - 3 + dropped.length).toBe(opts.length); // 53, 54, 52 besides ours
  });
  it('reads the limit from option 57 and never goes below the RFC floor', () => {
    expect(replyLimit(req)).toBe(548);
    const big = parsed(clientPacket({ type: 1, mac: MAC, options: [[57, Buffer.from([0x05, 0xdc])]] }));
    expect(replyLimit(big)).toBe(1472);
    const tiny = parsed(clientPacket({ type: 1, mac: MAC, options: [[57, Buffer.from([0x01, 0x00])]] }));
    expect(replyLimit(tiny)).toBe(548);
  });
});
