/**
 * What provd answers to one DHCP message, per mode (issue 6 §3). Pure apart from the lease table
 * and pool it is given: the socket adapter (responder.ts) parses, calls `decide`, and sends.
 *
 * - inform: DHCPINFORM gets a DHCPACK with the provisioning options only (RFC 2131 §4.3.5).
 * - proxy: also DISCOVER gets an OFFER with no address (yiaddr 0), as PXE proxyDHCP does;
 *   REQUESTs are left to the site's server.
 * - server: a full server for one subnet: OFFER/ACK/NAK, DECLINE and RELEASE handled.
 * In every mode the bindings seen (ciaddr, option 50) are learned for device identification.
 */
import { parseMac, type Mac } from '../core/mac.js';
import { replyBroadcast, type DhcpConfig } from './config.js';
import type { LeaseTable } from './leases.js';
import { encodeIpv4List, encodeText, formatIpv4 } from './options.js';
import { buildReply, MessageType, Opt, type DhcpMessage } from './packet.js';
import type { AddressPool } from './pool.js';
import { answerFor, type Answer, type RuleContext } from './rules.js';

/** How long an OFFER holds its address for the client's REQUEST. */
const OFFER_HOLD_MS = 60_000;
/** How long a binding learned from a client's own word is trusted. */
const LEARNED_TTL_MS = 3_600_000;

export interface Decision {
  /** Reply bytes and where to send them; absent when provd stays silent. */
  readonly reply?: { readonly bytes: Buffer; readonly address: string };
  /** Why provd stayed silent or what it did, for the debug log and counters. */
  readonly note: string;
  readonly answer?: Answer;
  readonly dropped?: readonly number[];
  /** Send after this many ms (proxy OFFERs yield to the address server's). */
  readonly delayMs?: number;
  /** Server-mode leases changed: persist them. */
  readonly leasesChanged?: boolean;
}

export interface EngineDeps {
  readonly config: DhcpConfig;
  /** Option 54 and the address in 150/159. */
  readonly serverId: string;
  readonly rules: RuleContext;
  readonly leases: LeaseTable;
  readonly pool?: AddressPool;
  readonly now: () => number;
}

export function decide(msg: DhcpMessage, deps: EngineDeps): Decision {
  const mac = msg.htype === 1 && msg.hlen === 6 ? parseMac(msg.hardware) : undefined;
  if (!mac) return { note: `hardware type ${msg.htype}/${msg.hlen} is not Ethernet` };
  learn(msg, mac, deps);
  const mode = deps.config.mode;
  switch (msg.messageType) {
    case MessageType.INFORM:
      return inform(msg, mac, deps);
    case MessageType.DISCOVER:
      if (mode === 'server') return serverDiscover(msg, mac, deps);
      if (mode === 'proxy') return proxyDiscover(msg, mac, deps);
      return { note: 'DISCOVER ignored in inform mode' };
    case MessageType.REQUEST:
      if (mode === 'server') return serverRequest(msg, mac, deps);
      // proxy: the REQUEST belongs to the server that assigns the address; answering it (even
      // with options only) can make a client accept 0.0.0.0 as its lease.
      return { note: mode === 'proxy' ? 'REQUEST left to the address server' : 'REQUEST ignored in inform mode' };
    case MessageType.DECLINE:
      return mode === 'server' ? serverDecline(msg, mac, deps) : { note: 'DECLINE ignored (not a server)' };
    case MessageType.RELEASE:
      return mode === 'server' ? serverRelease(msg, mac, deps) : { note: 'RELEASE ignored (not a server)' };
    default:
      return { note: `message type ${msg.messageType} is not one a client sends` };
  }
}

function serverIdOf(msg: DhcpMessage): string | undefined {
  const id = msg.options.get(Opt.SERVER_ID);
  return id && id.length === 4 ? formatIpv4(id) : undefined;
}

function requestedIp(msg: DhcpMessage): string | undefined {
  const r = msg.options.get(Opt.REQUESTED_IP);
  return r && r.length === 4 ? formatIpv4(r) : undefined;
}

function learn(msg: DhcpMessage, mac: Mac, deps: EngineDeps): void {
  // Only what the client says about itself: an INFORM or renewing REQUEST's ciaddr.
  if (msg.ciaddr !== '0.0.0.0' && (msg.messageType === MessageType.INFORM || msg.messageType === MessageType.REQUEST)) {
    deps.leases.learn(mac, msg.ciaddr, LEARNED_TTL_MS);
  }
}

function reply(msg: DhcpMessage, deps: EngineDeps, type: number, options: readonly (readonly [number, Buffer])[], extra: { yiaddr?: string; ciaddr?: string } = {}) {
  const built = buildReply(msg, { messageType: type, serverId: deps.serverId, options, ...extra });
  // RFC 2131 §4.1: a client with an address gets a unicast; otherwise the link's broadcast.
  const unicast = type !== MessageType.NAK && msg.ciaddr !== '0.0.0.0';
  return { built, address: unicast ? msg.ciaddr : replyBroadcast(deps.config) };
}

function inform(msg: DhcpMessage, mac: Mac, deps: EngineDeps): Decision {
  if (msg.ciaddr === '0.0.0.0') return { note: 'INFORM without ciaddr' };
  const answer = answerFor(msg, mac, deps.rules);
  if (!answer) return { note: 'INFORM from a client no rule matches' };
  // RFC 2131 §4.3.5: no lease time, no yiaddr; ciaddr echoed.
  const network = deps.config.mode === 'server' ? networkOptions(deps, false) : [];
  const { built, address } = reply(msg, deps, MessageType.ACK, [...network, ...answer.options], { ciaddr: msg.ciaddr });
  return { reply: { bytes: built.bytes, address }, note: 'INFORM answered', answer, dropped: built.dropped };
}

function proxyDiscover(msg: DhcpMessage, mac: Mac, deps: EngineDeps): Decision {
  const answer = answerFor(msg, mac, deps.rules);
  if (!answer) return { note: 'client matches no rule' };
  // Like a PXE proxyDHCP OFFER (PXE 2.1 §2.2.2): yiaddr 0, no lease time, only the options.
  const { built, address } = reply(msg, deps, MessageType.OFFER, answer.options);
  return { reply: { bytes: built.bytes, address }, note: 'proxy OFFER (options only)', answer, dropped: built.dropped, delayMs: deps.config.proxy_delay_ms };
}

function networkOptions(deps: EngineDeps, withLease: boolean): (readonly [number, Buffer])[] {
  const s = deps.config.server;
  if (!s) return [];
  const out: (readonly [number, Buffer])[] = [[Opt.SUBNET_MASK, encodeIpv4List([s.subnet_mask])]];
  if (s.routers.length > 0) out.push([Opt.ROUTER, encodeIpv4List(s.routers)]);
  if (s.dns.length > 0) out.push([Opt.DNS, encodeIpv4List(s.dns)]);
  if (s.domain) out.push([Opt.DOMAIN_NAME, encodeText(s.domain)]);
  if (s.ntp.length > 0) out.push([Opt.NTP, encodeIpv4List(s.ntp)]);
  if (withLease) {
    const t = s.lease_seconds;
    // RFC 2131 §4.4.5: T1 = 0.5 and T2 = 0.875 of the lease by default.
    out.push([Opt.LEASE_TIME, u32(t)], [Opt.RENEWAL_TIME, u32(Math.floor(t / 2))], [Opt.REBINDING_TIME, u32(Math.floor(t * 0.875))]);
  }
  return out;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
}

function serverOptions(msg: DhcpMessage, mac: Mac, deps: EngineDeps): { options: (readonly [number, Buffer])[]; answer?: Answer } {
  const answer = answerFor(msg, mac, deps.rules);
  return { options: [...networkOptions(deps, true), ...(answer?.options ?? [])], answer };
}

function serverDiscover(msg: DhcpMessage, mac: Mac, deps: EngineDeps): Decision {
  const pool = deps.pool!;
  const ip = pool.choose(mac, requestedIp(msg));
  if (!ip) return { note: 'pool exhausted: no address to offer' };
  const held = deps.leases.at(ip);
  if (!held || held.state !== 'bound') deps.leases.set({ mac, ip, expires: deps.now() + OFFER_HOLD_MS, state: 'offered' });
  const { options, answer } = serverOptions(msg, mac, deps);
  const { built, address } = reply(msg, deps, MessageType.OFFER, options, { yiaddr: ip });
  return { reply: { bytes: built.bytes, address }, note: `OFFER ${ip}`, answer, dropped: built.dropped };
}

function serverRequest(msg: DhcpMessage, mac: Mac, deps: EngineDeps): Decision {
  const pool = deps.pool!;
  const serverId = serverIdOf(msg);
  if (serverId !== undefined && serverId !== deps.serverId) {
    // RFC 2131 §4.3.2: the client chose another server's offer; withdraw ours.
    const held = deps.leases.ofMac(mac);
    if (held?.state === 'offered') deps.leases.delete(held.ip);
    return { note: `REQUEST chose server ${serverId}` };
  }
  const ip = requestedIp(msg) ?? (msg.ciaddr !== '0.0.0.0' ? msg.ciaddr : undefined);
  if (!ip) return { note: 'REQUEST names no address' };
  if (!pool.allowed(mac, ip)) {
    if (!pool.inSubnet(ip) && serverId === undefined) return { note: `REQUEST for ${ip}, not our subnet` };
    const { built, address } = reply(msg, deps, MessageType.NAK, [[Opt.MESSAGE, encodeText(`${ip} is not available to this client`)]]);
    return { reply: { bytes: built.bytes, address }, note: `NAK ${ip}` };
  }
  deps.leases.set({ mac, ip, expires: deps.now() + deps.config.server!.lease_seconds * 1000, state: 'bound' });
  const { options, answer } = serverOptions(msg, mac, deps);
  const { built, address } = reply(msg, deps, MessageType.ACK, options, { yiaddr: ip, ciaddr: msg.ciaddr });
  return { reply: { bytes: built.bytes, address }, note: `ACK ${ip}`, answer, dropped: built.dropped, leasesChanged: true };
}

function serverDecline(msg: DhcpMessage, mac: Mac, deps: EngineDeps): Decision {
  if (serverIdOf(msg) !== deps.serverId) return { note: 'DECLINE for another server' };
  const ip = requestedIp(msg);
  if (!ip) return { note: 'DECLINE names no address' };
  const lease = deps.leases.at(ip);
  if (lease?.mac === mac) deps.leases.delete(ip);
  deps.pool!.conflict(ip, deps.config.server!.lease_seconds * 1000);
  return { note: `DECLINE ${ip}: marked in use`, leasesChanged: true };
}

function serverRelease(msg: DhcpMessage, mac: Mac, deps: EngineDeps): Decision {
  const lease = deps.leases.at(msg.ciaddr);
  if (!lease || lease.mac !== mac) return { note: `RELEASE of ${msg.ciaddr}, which this client does not hold` };
  deps.leases.delete(msg.ciaddr);
  return { note: `RELEASE ${msg.ciaddr}`, leasesChanged: true };
}
