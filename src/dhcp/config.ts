/**
 * The `dhcp:` section of the daemon's config (zod schema; wired into config/schema.ts). Values are
 * checked here so a bad address, pool or vendor name fails `provd check` with its file and line.
 */
import { z } from 'zod';
import { createVendorRegistry } from '../vendors/index.js';
import { parseHex, parseIpv4 } from './options.js';

const ipv4 = z.string().refine((s) => parseIpv4(s) !== undefined, 'expected an IPv4 address such as 192.168.10.2');
const port = z.number().int().min(0).max(65535);

/** Vendor ids are checked against the registry, so vendors added later are accepted by name. */
const vendorId = z.string().superRefine((id, ctx) => {
  const known = createVendorRegistry().all().map((v) => v.id);
  if (!known.includes(id.toLowerCase())) {
    ctx.addIssue({ code: 'custom', message: `unknown vendor '${id}' (known: ${known.join(', ')})` });
  }
});

const macPrefix = z
  .string()
  .transform((s) => s.replace(/[:.-]/g, '').toLowerCase())
  .refine((s) => /^[0-9a-f]{2,12}$/.test(s) && s.length % 2 === 0, 'expected a MAC prefix such as 00:15:65');

/** Bytes to match in option 60 or 77: text as typed (`\0` allowed) or `hex:` bytes. */
const matchBytes = z.string().min(1).refine((s) => !s.startsWith('hex:') || parseHex(s.slice(4)) !== undefined, 'hex: must be followed by hex bytes such as 00:00:36:3d');

const byteMatch = z.object({
  value: matchBytes,
  /** Where the bytes must sit; dnsmasq matches substrings, WZP Cisco rules suffixes (with the NUL). */
  at: z.enum(['prefix', 'suffix', 'contains', 'exact']).default('contains'),
}).strict();

const code = z.number().int().min(1).max(254);
const hexBytes = z.string().refine((s) => parseHex(s) !== undefined, 'expected hex bytes such as 01:04:c0:a8:01:02');
/** A plain value: text, an IPv4 list or raw bytes. */
const plainValues = [
  z.object({ code, type: z.literal('string'), value: z.string().min(1) }).strict(),
  z.object({ code, type: z.literal('ipv4'), value: z.array(ipv4).min(1) }).strict(),
  z.object({ code, type: z.literal('hex'), value: hexBytes }).strict(),
] as const;
const subOption = z.discriminatedUnion('type', plainValues);
/** A SIP server name that RFC 1035 label encoding can carry. */
const sipServer = z.string().refine((s) => parseIpv4(s) !== undefined || /^(?!-)[a-z0-9-]{1,63}(\.(?!-)[a-z0-9-]{1,63})*\.?$/i.test(s), 'expected an IPv4 address or a host name');

const customOption = z.discriminatedUnion('type', [
  ...plainValues,
  /** Option 120 (RFC 3361): all addresses or all names. */
  z.object({ code, type: z.literal('sip-servers'), value: z.array(sipServer).min(1) }).strict()
    .refine((o) => o.value.every((v) => parseIpv4(v) !== undefined) || o.value.every((v) => parseIpv4(v) === undefined), { message: 'option 120 cannot mix addresses and names (RFC 3361 §3)', path: ['value'] }),
  /** Encapsulated sub-options (option 43 TLV convention, RFC 2132 §8.4). */
  z.object({ code, type: z.literal('tlv'), value: z.array(subOption).min(1) }).strict(),
  /** Option 125 (RFC 3925): sub-options under one enterprise number. */
  z.object({ code, type: z.literal('vendor-identifying'), enterprise: z.number().int().min(0).max(0xffffffff), value: z.array(subOption).min(1) }).strict(),
]);

const rule = z.object({
  /** Which vendor's URL and option conventions this client gets. */
  vendor: vendorId,
  vendor_class: byteMatch.optional(),
  user_class: byteMatch.optional(),
  mac_prefixes: z.array(macPrefix).min(1).optional(),
  /** Match only clients whose MAC is in the inventory. */
  inventory: z.boolean().default(false),
  /** Scheme of the provisioning URL; default: the vendor's preferred one that provd serves. */
  scheme: z.enum(['http', 'https', 'tftp', 'ftp']).optional(),
  /** A URL to hand out instead of the one provd builds (keeps `$PN`/`$MAC` for the phone). */
  url: z.string().min(1).optional(),
  /** Extra options, e.g. Yealink's custom option 128 or Grandstream's 120 SIP server. */
  options: z.array(customOption).default([]),
}).strict();

const reservation = z.object({
  mac: z.string().refine((s) => /^([0-9a-f]{2}[:-]?){5}[0-9a-f]{2}$/i.test(s), 'expected a MAC such as 00:15:65:aa:bb:cc'),
  ip: ipv4,
}).strict();

const serverSection = z.object({
  pool_start: ipv4,
  pool_end: ipv4,
  subnet_mask: ipv4.default('255.255.255.0'),
  routers: z.array(ipv4).default([]),
  dns: z.array(ipv4).default([]),
  ntp: z.array(ipv4).default([]),
  domain: z.string().min(1).optional(),
  lease_seconds: z.number().int().min(60).max(365 * 86400).default(86400),
  reservations: z.array(reservation).default([]),
}).strict().superRefine((s, ctx) => {
  const mask = ipNumber(s.subnet_mask);
  const network = (ipNumber(s.pool_start) & mask) >>> 0;
  const subnet = `${ipString(network)}/${s.subnet_mask}`;
  const check = (ip: string, path: (string | number)[]) => {
    const n = ipNumber(ip);
    if (((n & mask) >>> 0) !== network) ctx.addIssue({ code: 'custom', path, message: `${ip} is outside the subnet ${subnet}` });
    else if (n === network) ctx.addIssue({ code: 'custom', path, message: `${ip} is the network address of ${subnet}` });
    else if (n === (network | ~mask) >>> 0) ctx.addIssue({ code: 'custom', path, message: `${ip} is the broadcast address of ${subnet}` });
  };
  check(s.pool_start, ['pool_start']);
  check(s.pool_end, ['pool_end']);
  if (ipNumber(s.pool_start) > ipNumber(s.pool_end)) ctx.addIssue({ code: 'custom', path: ['pool_end'], message: 'pool_start must not be above pool_end' });
  s.reservations.forEach((r, i) => check(r.ip, ['reservations', i, 'ip']));
});

export const dhcpSchema = z.object({
  enabled: z.boolean().default(false),
  /** inform: answer DHCPINFORM only; proxy: add options to DISCOVER too, no addresses; server: full DHCPv4 server. */
  mode: z.enum(['inform', 'proxy', 'server']).default('inform'),
  bind: z.string().min(1).optional(),
  /** 67 in production (needs CAP_NET_BIND_SERVICE); any port for tests. */
  port: port.default(67),
  /** Port replies go to (68 for real clients). */
  client_port: port.default(68),
  /** This server's IPv4 on the phones' link: option 54, and the address in option 150. Empty: public_host. */
  server_address: z.union([ipv4, z.literal('')]).default(''),
  /**
   * Where replies to clients without an address go: the broadcast address of the phones' link.
   * Default: the pool's subnet broadcast in server mode, else 255.255.255.255.
   */
  broadcast_address: ipv4.optional(),
  /**
   * proxy: how long provd waits before its options-only OFFER, so a client that takes the first
   * OFFER (busybox udhcpc, many phones) takes the address server's and is not left without a lease.
   */
  proxy_delay_ms: z.number().int().min(0).max(3000).default(500),
  /** Classify clients by the vendor data (OUI, known vendor classes, inventory) when no rule matches. */
  auto: z.boolean().default(true),
  rules: z.array(rule).default([]),
  server: serverSection.optional(),
}).strict()
  .refine((d) => d.mode !== 'server' || d.server !== undefined, { message: 'mode server needs a server: section (pool_start, pool_end...)', path: ['mode'] })
  .refine((d) => !(d.mode === 'server' && d.server && parseIpv4(d.server_address) && !sameSubnet(d.server, d.server_address)), {
    message: 'in server mode server_address must be in the pool\'s subnet (clients send it back in option 54)',
    path: ['server_address'],
  });

/** True when `ip` is in the subnet of the pool. */
export function sameSubnet(s: { pool_start: string; subnet_mask: string }, ip: string): boolean {
  const mask = ipNumber(s.subnet_mask);
  return ((ipNumber(ip) & mask) >>> 0) === ((ipNumber(s.pool_start) & mask) >>> 0);
}

/** Where replies to clients without an address go (see `broadcast_address`). */
export function replyBroadcast(d: DhcpConfig): string {
  if (d.broadcast_address) return d.broadcast_address;
  if (d.mode === 'server' && d.server) {
    const mask = ipNumber(d.server.subnet_mask);
    return ipString(((ipNumber(d.server.pool_start) & mask) | ~mask) >>> 0);
  }
  return '255.255.255.255';
}

export type DhcpConfig = z.infer<typeof dhcpSchema>;
export type DhcpRule = z.infer<typeof rule>;
export type DhcpServerConfig = z.infer<typeof serverSection>;
export type CustomOption = z.infer<typeof customOption>;
export type ByteMatch = z.infer<typeof byteMatch>;

export const DHCP_DEFAULTS: DhcpConfig = dhcpSchema.parse({});

export function ipNumber(ip: string): number {
  const b = parseIpv4(ip);
  return b ? b.readUInt32BE(0) : NaN;
}

export function ipString(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
