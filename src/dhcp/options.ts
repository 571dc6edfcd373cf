/**
 * Pure encoders and decoders for the DHCP option bodies provisioning needs (vendors.md §10.1).
 * Each function returns or takes only the option's data bytes; the code and length octets are
 * the packet builder's job, which also splits bodies longer than 255 bytes (RFC 3396).
 */

/** An option body that cannot be built from what was asked; the message says why. */
export class OptionError extends Error {}

/** Parses a dotted IPv4 address to 4 bytes; undefined when it is not one. */
export function parseIpv4(text: string): Buffer | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((p) => (/^(0|[1-9]\d{0,2})$/.test(p) ? Number(p) : NaN));
  if (bytes.some((b) => !(b >= 0 && b <= 255))) return undefined;
  return Buffer.from(bytes);
}

export function formatIpv4(bytes: Uint8Array, offset = 0): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/**
 * Option 66 (TFTP server name), 67 (boot file), 159/160 and custom string options: the text's
 * bytes with no NUL terminator (RFC 2132 §9.4: "not null terminated"). A full URL is allowed:
 * most phones read one there even though the RFC calls it a server name.
 */
export function encodeText(text: string): Buffer {
  if (text.length === 0) throw new OptionError('an empty string option is not allowed (RFC 2132 §2: length is at least 1)');
  return Buffer.from(text, 'utf8');
}

/** Text option read back; a trailing NUL some servers add is dropped. */
export function decodeText(body: Uint8Array): string {
  const end = body.length > 0 && body[body.length - 1] === 0 ? body.length - 1 : body.length;
  return Buffer.from(body.subarray(0, end)).toString('utf8');
}

/** Option 150 (Cisco TFTP servers), 3, 6, 42 and custom IP options: concatenated 4-byte IPv4s. */
export function encodeIpv4List(addresses: readonly string[]): Buffer {
  if (addresses.length === 0) throw new OptionError('an address list needs at least one address');
  return Buffer.concat(
    addresses.map((a) => {
      const b = parseIpv4(a);
      if (!b) throw new OptionError(`'${a}' is not an IPv4 address`);
      return b;
    }),
  );
}

export function decodeIpv4List(body: Uint8Array): string[] {
  if (body.length === 0 || body.length % 4 !== 0) throw new OptionError(`address list of ${body.length} bytes is not a multiple of 4`);
  const out: string[] = [];
  for (let i = 0; i < body.length; i += 4) out.push(formatIpv4(body, i));
  return out;
}

/** A domain name in RFC 1035 §3.1 label form, root-terminated; no compression. */
export function encodeDomainName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.');
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'ascii');
    if (bytes.length < 1 || bytes.length > 63) throw new OptionError(`'${name}' has a label of ${bytes.length} bytes (1-63 allowed)`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/**
 * Option 120 (RFC 3361 §3): one encoding byte, then either RFC 1035 names (enc 0) or IPv4
 * addresses (enc 1). The RFC forbids mixing both forms in one option, so all entries must agree.
 */
export function encodeSipServers(servers: readonly string[]): Buffer {
  if (servers.length === 0) throw new OptionError('option 120 needs at least one SIP server');
  const asIps = servers.map(parseIpv4);
  if (asIps.every((b) => b !== undefined)) return Buffer.concat([Buffer.from([1]), ...(asIps as Buffer[])]);
  if (asIps.some((b) => b !== undefined)) throw new OptionError('option 120 cannot mix addresses and names (RFC 3361 §3)');
  return Buffer.concat([Buffer.from([0]), ...servers.map(encodeDomainName)]);
}

/** One sub-option of an encapsulated option (43, 125 data, DHCPv6 17). */
export interface SubOption {
  readonly code: number;
  readonly data: Buffer;
}

/** RFC 2132 §8.4 vendor-encapsulated TLVs: code(1) len(1) data, sub-options 1-254. */
export function encodeTlv(subs: readonly SubOption[]): Buffer {
  const parts: Buffer[] = [];
  for (const s of subs) {
    if (s.code < 1 || s.code > 254) throw new OptionError(`sub-option code ${s.code} is outside 1-254`);
    if (s.data.length > 255) throw new OptionError(`sub-option ${s.code} is ${s.data.length} bytes (255 allowed)`);
    parts.push(Buffer.from([s.code, s.data.length]), s.data);
  }
  return Buffer.concat(parts);
}

/** Decodes TLVs, skipping pad (0) and stopping at end (255); throws on a length past the end. */
export function decodeTlv(body: Uint8Array): SubOption[] {
  const out: SubOption[] = [];
  let i = 0;
  while (i < body.length) {
    const code = body[i]!;
    if (code === 0) { i++; continue; }
    if (code === 255) break;
    const len = body[i + 1];
    if (len === undefined || i + 2 + len > body.length) throw new OptionError(`sub-option ${code} runs past the end of its option`);
    out.push({ code, data: Buffer.from(body.subarray(i + 2, i + 2 + len)) });
    i += 2 + len;
  }
  return out;
}

/** Option 43 in the convention the vendor wants (vendors.md §10.1): the raw string, or TLVs. */
export type Option43 =
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'tlv'; readonly subs: readonly SubOption[] };

export function encodeOption43(value: Option43): Buffer {
  return value.kind === 'string' ? encodeText(value.text) : encodeTlv(value.subs);
}

/** One enterprise block of option 125 (RFC 3925 §4) or DHCPv6 option 17 (RFC 8415 §21.17). */
export interface EnterpriseBlock {
  readonly enterprise: number;
  readonly subs: readonly SubOption[];
}

/** Option 125: enterprise-number(4) data-len(1) TLVs, repeated (RFC 3925 §4). */
export function encodeVendorIdentifying(blocks: readonly EnterpriseBlock[]): Buffer {
  const parts: Buffer[] = [];
  for (const b of blocks) {
    const data = encodeTlv(b.subs);
    // data-len is one octet, so one enterprise's sub-options fit in 255 bytes (RFC 3925 §4).
    if (data.length > 255) throw new OptionError(`enterprise ${b.enterprise} data is ${data.length} bytes (255 allowed)`);
    const head = Buffer.alloc(5);
    head.writeUInt32BE(b.enterprise >>> 0, 0);
    head[4] = data.length;
    parts.push(head, data);
  }
  return Buffer.concat(parts);
}

export function decodeVendorIdentifying(body: Uint8Array): EnterpriseBlock[] {
  const out: EnterpriseBlock[] = [];
  let i = 0;
  while (i < body.length) {
    if (i + 5 > body.length) throw new OptionError('option 125 block header runs past the end');
    const enterprise = Buffer.from(body.subarray(i, i + 4)).readUInt32BE(0);
    const len = body[i + 4]!;
    if (i + 5 + len > body.length) throw new OptionError(`option 125 block of enterprise ${enterprise} runs past the end`);
    out.push({ enterprise, subs: decodeTlv(body.subarray(i + 5, i + 5 + len)) });
    i += 5 + len;
  }
  return out;
}

/** A custom option value as an admin types it in the config. */
export type TypedValue =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'ipv4'; readonly value: readonly string[] }
  | { readonly type: 'hex'; readonly value: string };

/** Parses `00:00:36:3d`, `0000363d` or `00 00 36 3d` to bytes; undefined when not hex. */
export function parseHex(text: string): Buffer | undefined {
  const digits = text.replace(/[\s:.-]/g, '');
  if (digits.length === 0 || digits.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(digits)) return undefined;
  return Buffer.from(digits, 'hex');
}

/** A custom option (128-254 for site-specific use, RFC 2132 §1 / RFC 3942) from its typed value. */
export function encodeTyped(v: TypedValue): Buffer {
  switch (v.type) {
    case 'string':
      return encodeText(v.value);
    case 'ipv4':
      return encodeIpv4List(v.value);
    case 'hex': {
      const b = parseHex(v.value);
      if (!b) throw new OptionError(`'${v.value}' is not hex bytes`);
      return b;
    }
  }
}

/** DHCPv6 option 59 OPT_BOOTFILE_URL (RFC 5970 §3.1): the URL, UTF-8, no terminator. */
export const DHCPV6_BOOTFILE_URL = 59;
/** DHCPv6 option 17 OPT_VENDOR_OPTS (RFC 8415 §21.17). */
export const DHCPV6_VENDOR_OPTS = 17;

/** A DHCPv6 option: code(2) len(2) data (RFC 8415 §21.1). */
export function encodeV6Option(code: number, data: Buffer): Buffer {
  if (data.length > 0xffff) throw new OptionError(`DHCPv6 option ${code} is too long`);
  const head = Buffer.alloc(4);
  head.writeUInt16BE(code, 0);
  head.writeUInt16BE(data.length, 2);
  return Buffer.concat([head, data]);
}

/** DHCPv6 option 59 with its header. */
export function encodeV6BootfileUrl(url: string): Buffer {
  return encodeV6Option(DHCPV6_BOOTFILE_URL, encodeText(url));
}

/**
 * DHCPv6 option 17 with its header: enterprise(4) then sub-options as code(2) len(2) data
 * (RFC 8415 §21.17), which is how Cisco MPP reads 160/159 over IPv6.
 */
export function encodeV6VendorOpts(enterprise: number, subs: readonly SubOption[]): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(enterprise >>> 0, 0);
  const parts: Buffer[] = [head];
  for (const s of subs) parts.push(encodeV6Option(s.code, s.data));
  return encodeV6Option(DHCPV6_VENDOR_OPTS, Buffer.concat(parts));
}
