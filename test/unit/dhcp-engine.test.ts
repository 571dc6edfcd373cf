import { describe, expect, it } from 'vitest';
import { parseMac, type Mac } from '../../src/core/mac.js';
import { dhcpSchema, type DhcpConfig } from '../../src/dhcp/config.js';
import { decide, type EngineDeps } from '../../src/dhcp/engine.js';
import { LeaseTable } from '../../src/dhcp/leases.js';
import { MessageType, parseMessage } from '../../src/dhcp/packet.js';
import { AddressPool, reservationsOf } from '../../src/dhcp/pool.js';
import type { ServerInfo } from '../../src/render/context.js';
import { createVendorRegistry } from '../../src/vendors/index.js';
import { clientPacket, replyOptions, yiaddrOf, type ClientPacket } from '../fixtures/dhcp/client-packet.js';

const server: ServerInfo = {
  host: '10.9.0.1',
  http_url: 'http://10.9.0.1:8080/',
  https_url: null,
  tftp_url: 'tftp://10.9.0.1/',
  ftp_url: null,
  provisioning_url: 'http://10.9.0.1:8080/',
};
const YEALINK = '00:15:65:00:00:01';
const OTHER = '02:00:00:00:00:09';
const ip = (s: string) => Buffer.from(s.split('.').map(Number));

function setup(raw: Record<string, unknown>, inventory: Record<string, string> = {}) {
  const config: DhcpConfig = dhcpSchema.parse({ enabled: true, ...raw });
  let clock = 1_000_000;
  const now = () => clock;
  const leases = new LeaseTable(now);
  const pool = config.server
    ? new AddressPool(config.server, () => reservationsOf(config.server!.reservations.map((r) => [parseMac(r.mac)!, r.ip] as const)), leases, now)
    : undefined;
  const deps: EngineDeps = {
    config,
    serverId: '10.9.0.1',
    leases,
    pool,
    now,
    rules: {
      registry: createVendorRegistry(),
      rules: config.rules,
      auto: config.auto,
      inventoryVendor: (mac: Mac) => inventory[mac],
      server: () => server,
      address: '10.9.0.1',
    },
  };
  const send = (p: ClientPacket) => {
    const r = parseMessage(clientPacket(p));
    if (!r.ok) throw new Error(r.reason);
    return decide(r.message, deps);
  };
  return { send, leases, advance: (ms: number) => (clock += ms) };
}

describe('inform mode', () => {
  it('answers an INFORM from a Yealink (by OUI) with option 66 and no address, unicast to ciaddr', () => {
    const { send, leases } = setup({ mode: 'inform' });
    const d = send({ type: MessageType.INFORM, mac: YEALINK, ciaddr: '10.9.0.77', options: [[55, Buffer.from([66])]] });
    expect(d.reply?.address).toBe('10.9.0.77');
    const opts = replyOptions(d.reply!.bytes);
    expect(opts.get(53)).toEqual(Buffer.from([MessageType.ACK]));
    expect(opts.get(66)?.toString()).toBe('tftp://10.9.0.1/$PN/');
    expect(opts.has(51)).toBe(false);
    expect(yiaddrOf(d.reply!.bytes)).toBe('0.0.0.0');
    expect(d.answer).toMatchObject({ vendor: 'yealink', by: 'oui' });
    expect(leases.macFor('10.9.0.77')).toBe('001565000001');
    expect(leases.macFor('::ffff:10.9.0.77')).toBe('001565000001');
  });
  it('gives nothing to a client no rule matches, and ignores DISCOVER', () => {
    const { send } = setup({ mode: 'inform' });
    expect(send({ type: MessageType.INFORM, mac: OTHER, ciaddr: '10.9.0.78' }).reply).toBeUndefined();
    expect(send({ type: MessageType.DISCOVER, mac: YEALINK }).reply).toBeUndefined();
  });
  it('rules pick by vendor class bytes, user class and MAC prefix; custom options win', () => {
    const { send } = setup({
      mode: 'inform',
      auto: false,
      rules: [
        { vendor: 'yealink', vendor_class: { value: 'hex:00:00:36:3d', at: 'prefix' }, url: 'http://x/', options: [{ code: 160, type: 'string', value: 'http://custom/' }] },
        { vendor: 'yealink', user_class: { value: 'lab', at: 'exact' }, scheme: 'http', options: [{ code: 128, type: 'string', value: 'tftp://192.168.1.100/' }] },
        { vendor: 'yealink', mac_prefixes: ['02:00:00'] },
      ],
    });
    const a = send({ type: MessageType.INFORM, mac: OTHER, ciaddr: '10.9.0.5', options: [[60, Buffer.from([0, 0, 0x36, 0x3d, 1, 0xff])]] });
    expect(replyOptions(a.reply!.bytes).get(66)?.toString()).toBe('http://x/');
    expect(replyOptions(a.reply!.bytes).get(160)?.toString()).toBe('http://custom/');
    expect(a.answer?.rule).toBe(0);
    const b = send({ type: MessageType.INFORM, mac: OTHER, ciaddr: '10.9.0.5', options: [[77, Buffer.from('lab')]] });
    expect(replyOptions(b.reply!.bytes).get(66)?.toString()).toBe('http://10.9.0.1:8080/$PN/');
    expect(replyOptions(b.reply!.bytes).get(128)?.toString()).toBe('tftp://192.168.1.100/');
    expect(send({ type: MessageType.INFORM, mac: OTHER, ciaddr: '10.9.0.5' }).answer?.rule).toBe(2);
    expect(send({ type: MessageType.INFORM, mac: YEALINK, ciaddr: '10.9.0.5' }).reply).toBeUndefined();
  });
  it('structured custom options: 120 (RFC 3361), 43 as TLVs, 125 (RFC 3925)', () => {
    const { send } = setup({
      mode: 'inform',
      rules: [{
        vendor: 'yealink',
        options: [
          { code: 120, type: 'sip-servers', value: ['sip.example.com'] },
          { code: 43, type: 'tlv', value: [{ code: 1, type: 'string', value: 'http://acs/' }, { code: 2, type: 'ipv4', value: ['10.9.0.1'] }] },
          { code: 125, type: 'vendor-identifying', enterprise: 3561, value: [{ code: 1, type: 'hex', value: 'ab:cd' }] },
        ],
      }],
    });
    const opts = replyOptions(send({ type: MessageType.INFORM, mac: YEALINK, ciaddr: '10.9.0.5' }).reply!.bytes);
    expect(opts.get(120)).toEqual(Buffer.from('0003736970076578616d706c6503636f6d00', 'hex'));
    expect(opts.get(43)).toEqual(Buffer.concat([Buffer.from([1, 11]), Buffer.from('http://acs/'), Buffer.from([2, 4, 10, 9, 0, 1])]));
    expect(opts.get(125)).toEqual(Buffer.from('00000de90401' + '02abcd', 'hex'));
  });
  it('refuses an option 120 that mixes addresses and names', () => {
    expect(() => setup({ rules: [{ vendor: 'yealink', options: [{ code: 120, type: 'sip-servers', value: ['10.0.0.1', 'sip.example.com'] }] }] })).toThrow(/cannot mix/);
  });
  it('an inventory device is classified by its inventory vendor', () => {
    const { send } = setup({ mode: 'inform' }, { '020000000009': 'yealink' });
    expect(send({ type: MessageType.INFORM, mac: OTHER, ciaddr: '10.9.0.5' }).answer?.by).toBe('inventory');
  });
});

describe('proxy mode', () => {
  it('offers options without an address and leaves every REQUEST to the address server', () => {
    const { send } = setup({ mode: 'proxy', broadcast_address: '10.9.0.255' });
    const offer = send({ type: MessageType.DISCOVER, mac: YEALINK });
    expect(offer.reply?.address).toBe('10.9.0.255');
    expect(yiaddrOf(offer.reply!.bytes)).toBe('0.0.0.0');
    expect(replyOptions(offer.reply!.bytes).get(53)).toEqual(Buffer.from([MessageType.OFFER]));
    expect(replyOptions(offer.reply!.bytes).get(66)?.toString()).toBe('tftp://10.9.0.1/$PN/');
    expect(send({ type: MessageType.REQUEST, mac: YEALINK, options: [[54, ip('10.9.0.254')], [50, ip('10.9.0.40')]] }).reply).toBeUndefined();
    // Not even one naming provd: a client would take 0.0.0.0 as its lease.
    expect(send({ type: MessageType.REQUEST, mac: YEALINK, options: [[54, ip('10.9.0.1')], [50, ip('0.0.0.0')]] }).reply).toBeUndefined();
  });
});

describe('server mode', () => {
  const serverCfg = { mode: 'server', server: { pool_start: '10.9.0.100', pool_end: '10.9.0.102', routers: ['10.9.0.1'], dns: ['10.9.0.1'], lease_seconds: 600, reservations: [{ mac: '00:15:65:00:00:05', ip: '10.9.0.20' }] } };

  it('offers from the pool with network options, ACKs, and keeps the address per MAC', () => {
    const { send, leases } = setup(serverCfg);
    const offer = send({ type: MessageType.DISCOVER, mac: YEALINK });
    expect(yiaddrOf(offer.reply!.bytes)).toBe('10.9.0.100');
    const o = replyOptions(offer.reply!.bytes);
    expect(o.get(1)).toEqual(ip('255.255.255.0'));
    expect(o.get(3)).toEqual(ip('10.9.0.1'));
    expect(o.get(51)?.readUInt32BE(0)).toBe(600);
    expect(o.get(66)?.toString()).toBe('tftp://10.9.0.1/$PN/');
    const ack = send({ type: MessageType.REQUEST, mac: YEALINK, options: [[54, ip('10.9.0.1')], [50, ip('10.9.0.100')]] });
    expect(replyOptions(ack.reply!.bytes).get(53)).toEqual(Buffer.from([MessageType.ACK]));
    expect(ack.leasesChanged).toBe(true);
    expect(leases.macFor('10.9.0.100')).toBe('001565000001');
    // A non-phone gets an address but no provisioning options.
    const other = send({ type: MessageType.DISCOVER, mac: OTHER, options: [[50, ip('10.9.0.100')]] });
    expect(yiaddrOf(other.reply!.bytes)).toBe('10.9.0.101');
    expect(replyOptions(other.reply!.bytes).has(66)).toBe(false);
  });
  it('never offers outside the pool or an address already leased; NAKs a request for one', () => {
    const { send } = setup(serverCfg);
    send({ type: MessageType.DISCOVER, mac: YEALINK });
    send({ type: MessageType.REQUEST, mac: YEALINK, options: [[54, ip('10.9.0.1')], [50, ip('10.9.0.100')]] });
    const offered = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const d = send({ type: MessageType.DISCOVER, mac: `02:00:00:00:01:0${i}`, options: [[50, ip('10.9.0.100')]] });
      if (d.reply) offered.add(yiaddrOf(d.reply.bytes));
    }
    expect([...offered].sort()).toEqual(['10.9.0.101', '10.9.0.102']);
    const nak = send({ type: MessageType.REQUEST, mac: OTHER, options: [[50, ip('10.9.0.100')]] });
    expect(replyOptions(nak.reply!.bytes).get(53)).toEqual(Buffer.from([MessageType.NAK]));
    const outside = send({ type: MessageType.REQUEST, mac: OTHER, options: [[50, ip('10.9.0.150')]] });
    expect(replyOptions(outside.reply!.bytes).get(53)).toEqual(Buffer.from([MessageType.NAK]));
    expect(send({ type: MessageType.REQUEST, mac: OTHER, options: [[50, ip('192.168.5.5')]] }).reply).toBeUndefined();
  });
  it('gives a reserved MAC its reservation', () => {
    const { send } = setup(serverCfg);
    expect(yiaddrOf(send({ type: MessageType.DISCOVER, mac: '00:15:65:00:00:05' }).reply!.bytes)).toBe('10.9.0.20');
  });
  it('a declined address is not offered again; a released one is', () => {
    const { send } = setup(serverCfg);
    send({ type: MessageType.DISCOVER, mac: YEALINK });
    send({ type: MessageType.REQUEST, mac: YEALINK, options: [[54, ip('10.9.0.1')], [50, ip('10.9.0.100')]] });
    send({ type: MessageType.DECLINE, mac: YEALINK, options: [[54, ip('10.9.0.1')], [50, ip('10.9.0.100')]] });
    expect(yiaddrOf(send({ type: MessageType.DISCOVER, mac: YEALINK }).reply!.bytes)).toBe('10.9.0.101');
    send({ type: MessageType.REQUEST, mac: YEALINK, options: [[54, ip('10.9.0.1')], [50, ip('10.9.0.101')]] });
    expect(send({ type: MessageType.RELEASE, mac: YEALINK, ciaddr: '10.9.0.101' }).leasesChanged).toBe(true);
    expect(yiaddrOf(send({ type: MessageType.DISCOVER, mac: OTHER }).reply!.bytes)).toBe('10.9.0.101');
  });
  it('withdraws its offer when the client picks another server', () => {
    const { send, leases } = setup(serverCfg);
    send({ type: MessageType.DISCOVER, mac: YEALINK });
    expect(leases.at('10.9.0.100')?.state).toBe('offered');
    expect(send({ type: MessageType.REQUEST, mac: YEALINK, options: [[54, ip('10.9.0.9')], [50, ip('10.9.0.100')]] }).reply).toBeUndefined();
    expect(leases.at('10.9.0.100')).toBeUndefined();
  });
  it('an offer not taken up expires', () => {
    const { send, advance } = setup(serverCfg);
    send({ type: MessageType.DISCOVER, mac: YEALINK });
    advance(61_000);
    expect(yiaddrOf(send({ type: MessageType.DISCOVER, mac: OTHER }).reply!.bytes)).toBe('10.9.0.100');
  });
});
