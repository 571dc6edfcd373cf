/**
 * DHCPv4 message parsing and building (RFC 2131 §2, RFC 2132). Parsing is strict: anything a
 * well-behaved client would not send is rejected with a reason, so the responder can drop it and
 * count it. Building honours the client's maximum message size (option 57), splits long options
 * (RFC 3396) and uses the file/sname fields for options when the main area is full (option 52).
 */
import { formatIpv4, parseIpv4 } from './options.js';

export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;
const MAGIC_COOKIE = 0x63825363;
/** op..file (RFC 2131 §2, figure 1), then the 4-byte cookie. */
const FIXED_LENGTH = 236;
const OPTIONS_OFFSET = FIXED_LENGTH + 4;
const SNAME_OFFSET = 44;
const FILE_OFFSET = 108;
/** Largest request we read: bigger datagrams are not DHCP from a phone. */
export const MAX_REQUEST_BYTES = 4096;
/**
 * RFC 2131 §2: every client accepts a 576-byte IP datagram; minus IP (20) and UDP (8) headers
 * that is 548 bytes of DHCP message, the floor we build to whatever option 57 says.
 */
export const MIN_REPLY_BYTES = 548;

export const MessageType = {
  DISCOVER: 1,
  OFFER: 2,
  REQUEST: 3,
  DECLINE: 4,
  ACK: 5,
  NAK: 6,
  RELEASE: 7,
  INFORM: 8,
} as const;

export const Opt = {
  PAD: 0,
  SUBNET_MASK: 1,
  ROUTER: 3,
  DNS: 6,
  HOST_NAME: 12,
  DOMAIN_NAME: 15,
  BROADCAST: 28,
  NTP: 42,
  VENDOR_SPECIFIC: 43,
  REQUESTED_IP: 50,
  LEASE_TIME: 51,
  OVERLOAD: 52,
  MESSAGE_TYPE: 53,
  SERVER_ID: 54,
  PARAMETER_LIST: 55,
  MESSAGE: 56,
  MAX_MESSAGE_SIZE: 57,
  RENEWAL_TIME: 58,
  REBINDING_TIME: 59,
  VENDOR_CLASS: 60,
  CLIENT_ID: 61,
  TFTP_SERVER: 66,
  BOOTFILE: 67,
  USER_CLASS: 77,
  SIP_SERVERS: 120,
  VENDOR_IDENTIFYING: 125,
  END: 255,
} as const;

/** A request as read off the wire. Options with the same code are already concatenated (RFC 3396). */
export interface DhcpMessage {
  readonly op: number;
  readonly htype: number;
  readonly hlen: number;
  readonly hops: number;
  readonly xid: number;
  readonly secs: number;
  readonly flags: number;
  readonly ciaddr: string;
  readonly yiaddr: string;
  readonly siaddr: string;
  readonly giaddr: string;
  /** The 16-byte chaddr field as sent. */
  readonly chaddr: Buffer;
  /** The client's hardware address, lower-case hex (12 digits for Ethernet). */
  readonly hardware: string;
  readonly sname: string;
  readonly file: string;
  readonly options: ReadonlyMap<number, Buffer>;
  readonly messageType: number;
}

export type ParseResult = { readonly ok: true; readonly message: DhcpMessage } | { readonly ok: false; readonly reason: string };

/** Parses one UDP payload; never throws. */
export function parseMessage(bytes: Uint8Array): ParseResult {
  const fail = (reason: string): ParseResult => ({ ok: false, reason });
  if (bytes.length < OPTIONS_OFFSET) return fail(`truncated: ${bytes.length} bytes, a DHCP message has at least ${OPTIONS_OFFSET}`);
  if (bytes.length > MAX_REQUEST_BYTES) return fail(`oversized: ${bytes.length} bytes`);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (buf.readUInt32BE(FIXED_LENGTH) !== MAGIC_COOKIE) return fail('wrong magic cookie (BOOTP without DHCP)');
  const hlen = buf[2]!;
  if (hlen < 1 || hlen > 16) return fail(`hardware address length ${hlen} outside 1-16`);

  const options = new Map<number, Buffer>();
  const main = readOptions(buf.subarray(OPTIONS_OFFSET), options);
  if (main.error) return fail(main.error);
  const overload = options.get(Opt.OVERLOAD);
  let sname = cString(buf.subarray(SNAME_OFFSET, FILE_OFFSET));
  let file = cString(buf.subarray(FILE_OFFSET, FIXED_LENGTH));
  if (overload) {
    if (overload.length !== 1 || overload[0]! < 1 || overload[0]! > 3) return fail('option 52 (overload) must be one byte 1, 2 or 3');
    // RFC 2131 §4.1: the options field first, then file, then sname.
    if (overload[0]! & 1) {
      const r = readOptions(buf.subarray(FILE_OFFSET, FIXED_LENGTH), options);
      if (r.error) return fail(`in the file field: ${r.error}`);
      file = '';
    }
    if (overload[0]! & 2) {
      const r = readOptions(buf.subarray(SNAME_OFFSET, FILE_OFFSET), options);
      if (r.error) return fail(`in the sname field: ${r.error}`);
      sname = '';
    }
  }
  const type = options.get(Opt.MESSAGE_TYPE);
  if (!type || type.length !== 1) return fail('no DHCP message type (option 53)');
  if (type[0]! < 1 || type[0]! > 8) return fail(`unknown DHCP message type ${type[0]}`);

  return {
    ok: true,
    message: {
      op: buf[0]!,
      htype: buf[1]!,
      hlen,
      hops: buf[3]!,
      xid: buf.readUInt32BE(4),
      secs: buf.readUInt16BE(8),
      flags: buf.readUInt16BE(10),
      ciaddr: formatIpv4(buf, 12),
      yiaddr: formatIpv4(buf, 16),
      siaddr: formatIpv4(buf, 20),
      giaddr: formatIpv4(buf, 24),
      chaddr: Buffer.from(buf.subarray(28, 44)),
      hardware: buf.subarray(28, 28 + hlen).toString('hex'),
      sname,
      file,
      options,
      messageType: type[0]!,
    },
  };
}

function readOptions(area: Buffer, into: Map<number, Buffer>): { error?: string } {
  let i = 0;
  while (i < area.length) {
    const code = area[i]!;
    if (code === Opt.PAD) { i++; continue; }
    if (code === Opt.END) return {};
    const len = area[i + 1];
    if (len === undefined || i + 2 + len > area.length) return { error: `option ${code} length runs past the end of the packet` };
    const data = area.subarray(i + 2, i + 2 + len);
    const prev = into.get(code);
    into.set(code, prev ? Buffer.concat([prev, data]) : Buffer.from(data));
    i += 2 + len;
  }
  // A missing END is tolerated (several embedded stacks omit it); only a cut-off option is fatal.
  return {};
}

function cString(field: Buffer): string {
  const nul = field.indexOf(0);
  return field.subarray(0, nul === -1 ? field.length : nul).toString('latin1');
}

/** What a reply carries besides the copied request fields. */
export interface ReplySpec {
  readonly messageType: number;
  readonly serverId: string;
  readonly yiaddr?: string;
  readonly ciaddr?: string;
  readonly siaddr?: string;
  /** Options in the order they should appear; 53 and 54 are added first by the builder. */
  readonly options: readonly (readonly [number, Buffer])[];
}

export interface BuiltReply {
  readonly bytes: Buffer;
  /** Options left out because they did not fit the client's maximum message size. */
  readonly dropped: readonly number[];
}

/** The largest reply this client accepts (option 57, never below the RFC floor). */
export function replyLimit(request: DhcpMessage): number {
  const mms = request.options.get(Opt.MAX_MESSAGE_SIZE);
  // RFC 2132 §9.10: minimum legal value 576; we read it as the IP datagram size, so minus 28.
  const value = mms && mms.length === 2 ? mms.readUInt16BE(0) : 0;
  return Math.max(MIN_REPLY_BYTES, Math.min(value - 28, 1472));
}

/**
 * Builds a BOOTREPLY to `request`. Options that do not fit the main area go to the file and sname
 * fields with option 52 set (RFC 2132 §9.3); what does not fit even then is left out and listed.
 */
export function buildReply(request: DhcpMessage, spec: ReplySpec, limit = replyLimit(request)): BuiltReply {
  const head = Buffer.alloc(OPTIONS_OFFSET);
  head[0] = BOOTREPLY;
  head[1] = request.htype;
  head[2] = request.hlen;
  head.writeUInt32BE(request.xid, 4);
  head.writeUInt16BE(request.flags, 10);
  writeIp(head, 12, spec.ciaddr ?? '0.0.0.0');
  writeIp(head, 16, spec.yiaddr ?? '0.0.0.0');
  writeIp(head, 20, spec.siaddr ?? '0.0.0.0');
  writeIp(head, 24, request.giaddr);
  request.chaddr.copy(head, 28);
  head.writeUInt32BE(MAGIC_COOKIE, FIXED_LENGTH);

  const first: (readonly [number, Buffer])[] = [
    [Opt.MESSAGE_TYPE, Buffer.from([spec.messageType])],
    [Opt.SERVER_ID, ipBytes(spec.serverId)],
  ];
  const encoded = [...first, ...spec.options].map(([code, data]) => ({ code, bytes: encodeOption(code, data) }));
  const mainRoom = limit - OPTIONS_OFFSET - 1;
  const main: Buffer[] = [];
  const file: Buffer[] = [];
  const sname: Buffer[] = [];
  const dropped: number[] = [];
  let used = 0;
  // Option 52 takes 3 bytes of the main area once anything spills over.
  let overloadReserved = false;
  const room = { file: 128 - 1, sname: 64 - 1 };
  for (const { code, bytes } of encoded) {
    if (used + bytes.length <= mainRoom - (overloadReserved ? 3 : 0)) {
      main.push(bytes);
      used += bytes.length;
      continue;
    }
    if (!overloadReserved && used + 3 > mainRoom) { dropped.push(code); continue; }
    if (bytes.length <= room.file) {
      overloadReserved = true;
      file.push(bytes);
      room.file -= bytes.length;
    } else if (bytes.length <= room.sname) {
      overloadReserved = true;
      sname.push(bytes);
      room.sname -= bytes.length;
    } else {
      dropped.push(code);
    }
  }
  if (file.length > 0 || sname.length > 0) {
    const which = (file.length > 0 ? 1 : 0) | (sname.length > 0 ? 2 : 0);
    main.push(Buffer.from([Opt.OVERLOAD, 1, which]));
    if (file.length > 0) Buffer.concat([...file, Buffer.from([Opt.END])]).copy(head, FILE_OFFSET);
    if (sname.length > 0) Buffer.concat([...sname, Buffer.from([Opt.END])]).copy(head, SNAME_OFFSET);
  }
  const body = Buffer.concat([head, ...main, Buffer.from([Opt.END])]);
  // Pad to the BOOTP minimum (RFC 1542 §3.3): some old stacks drop shorter replies.
  const bytes = body.length < 300 ? Buffer.concat([body, Buffer.alloc(300 - body.length)]) : body;
  return { bytes, dropped };
}

/** code len data, split into 255-byte pieces of the same code (RFC 3396 §5). */
export function encodeOption(code: number, data: Buffer): Buffer {
  if (data.length === 0) return Buffer.from([code, 0]);
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += 255) {
    const chunk = data.subarray(i, i + 255);
    parts.push(Buffer.from([code, chunk.length]), chunk);
  }
  return Buffer.concat(parts);
}

function ipBytes(ip: string): Buffer {
  const b = parseIpv4(ip);
  if (!b) throw new Error(`not an IPv4 address: ${ip}`);
  return b;
}

function writeIp(buf: Buffer, offset: number, ip: string): void {
  ipBytes(ip).copy(buf, offset);
}

/** The parameter request list (option 55) as a set of codes. */
export function requestedOptions(msg: DhcpMessage): ReadonlySet<number> {
  return new Set(msg.options.get(Opt.PARAMETER_LIST) ?? []);
}
