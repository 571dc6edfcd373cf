/**
 * TFTP packet codec (RFC 1350 §5, RFC 2347 §2 for OACK). Pure: bytes in, values out, no I/O.
 * Decoding never throws; a packet it cannot make sense of comes back as `malformed` with the
 * reason, and the caller decides whether RFC 1350 wants an ERROR reply.
 */

export const OP = { RRQ: 1, WRQ: 2, DATA: 3, ACK: 4, ERROR: 5, OACK: 6 } as const;

/** RFC 1350 Appendix error codes, and RFC 2347's 8 (option negotiation refused). */
export const ERR = {
  NOT_DEFINED: 0,
  FILE_NOT_FOUND: 1,
  ACCESS_VIOLATION: 2,
  DISK_FULL: 3,
  ILLEGAL_OPERATION: 4,
  UNKNOWN_TID: 5,
  FILE_EXISTS: 6,
  NO_SUCH_USER: 7,
  OPTION_REFUSED: 8,
} as const;

export type TransferMode = 'octet' | 'netascii';

/** A read or write request; option names are lower-cased, values kept as sent. */
export interface RequestPacket {
  readonly op: 'rrq' | 'wrq';
  readonly filename: string;
  readonly mode: TransferMode;
  /** Options in the order sent; a repeated option keeps its first value. */
  readonly options: ReadonlyMap<string, string>;
}

export type Packet =
  | RequestPacket
  | { readonly op: 'data'; readonly block: number; readonly data: Buffer }
  | { readonly op: 'ack'; readonly block: number }
  | { readonly op: 'error'; readonly code: number; readonly message: string }
  | { readonly op: 'oack'; readonly options: ReadonlyMap<string, string> };

export type MalformedReason =
  | 'too_short'
  | 'unknown_opcode'
  | 'missing_nul'
  | 'empty_filename'
  | 'filename_too_long'
  | 'bad_mode'
  | 'bad_options'
  | 'trailing_bytes';

export type Decoded =
  | { readonly ok: true; readonly packet: Packet }
  | { readonly ok: false; readonly reason: MalformedReason; readonly opcode: number | undefined; readonly filename?: string };

/** Longest file name accepted in a request; longer ones are malformed (the pipeline caps at 1024). */
export const MAX_FILENAME_BYTES = 1024;

/** Decodes one datagram. */
export function decode(buf: Buffer): Decoded {
  if (buf.length < 2) return bad('too_short', undefined);
  const opcode = buf.readUInt16BE(0);
  switch (opcode) {
    case OP.RRQ:
    case OP.WRQ:
      return decodeRequest(buf, opcode === OP.RRQ ? 'rrq' : 'wrq', opcode);
    case OP.DATA:
      if (buf.length < 4) return bad('too_short', opcode);
      return { ok: true, packet: { op: 'data', block: buf.readUInt16BE(2), data: buf.subarray(4) } };
    case OP.ACK:
      if (buf.length < 4) return bad('too_short', opcode);
      // Some clients pad ACKs; the RFC defines 4 bytes and extra bytes carry nothing.
      return { ok: true, packet: { op: 'ack', block: buf.readUInt16BE(2) } };
    case OP.ERROR: {
      if (buf.length < 4) return bad('too_short', opcode);
      const end = buf.indexOf(0, 4);
      // A missing terminator on an ERROR is common and harmless: the message is the rest.
      const message = buf.toString('latin1', 4, end < 0 ? buf.length : end);
      return { ok: true, packet: { op: 'error', code: buf.readUInt16BE(2), message } };
    }
    case OP.OACK: {
      const fields = nulFields(buf, 2);
      if (!fields || fields.length % 2 !== 0) return bad('bad_options', opcode);
      return { ok: true, packet: { op: 'oack', options: pairs(fields) } };
    }
    default:
      return bad('unknown_opcode', opcode);
  }
}

function decodeRequest(buf: Buffer, op: 'rrq' | 'wrq', opcode: number): Decoded {
  const fields = nulFields(buf, 2);
  if (!fields || fields.length < 2) return bad('missing_nul', opcode);
  const [filename = '', modeField = ''] = fields;
  if (filename === '') return bad('empty_filename', opcode);
  if (filename.length > MAX_FILENAME_BYTES) {
    return { ok: false, reason: 'filename_too_long', opcode, filename: filename.slice(0, MAX_FILENAME_BYTES) };
  }
  const mode = modeField.toLowerCase();
  // RFC 1350 §5: "mail" is obsolete; anything else is not a mode at all.
  if (mode !== 'octet' && mode !== 'netascii') return { ok: false, reason: 'bad_mode', opcode, filename };
  const rest = fields.slice(2);
  // RFC 2347 §2: options come in name/value pairs. A dangling name is a broken client; the
  // request itself is still meaningful, so the dangling name is dropped rather than the request.
  if (rest.length % 2 !== 0) rest.pop();
  return { ok: true, packet: { op, filename, mode, options: pairs(rest) } };
}

/**
 * Splits `buf[from..]` into NUL-terminated latin1 fields. Returns undefined unless the packet
 * ends with a NUL (RFC 1350 §5: every string field is terminated).
 */
function nulFields(buf: Buffer, from: number): string[] | undefined {
  if (buf.length <= from || buf[buf.length - 1] !== 0) return undefined;
  const out: string[] = [];
  let start = from;
  while (start < buf.length) {
    const end = buf.indexOf(0, start);
    out.push(buf.toString('latin1', start, end));
    start = end + 1;
  }
  return out;
}

function pairs(fields: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i]!.toLowerCase();
    if (name !== '' && !m.has(name)) m.set(name, fields[i + 1]!);
  }
  return m;
}

function bad(reason: MalformedReason, opcode: number | undefined): Decoded {
  return { ok: false, reason, opcode };
}

/** DATA header plus payload in one buffer (one copy; the payload is usually a file slice). */
export function encodeData(block: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + payload.length);
  out.writeUInt16BE(OP.DATA, 0);
  out.writeUInt16BE(block & 0xffff, 2);
  payload.copy(out, 4);
  return out;
}

/** Just the 4-byte DATA header, for a gathered send of header and payload. */
export function encodeDataHeader(block: number): Buffer {
  const out = Buffer.allocUnsafe(4);
  out.writeUInt16BE(OP.DATA, 0);
  out.writeUInt16BE(block & 0xffff, 2);
  return out;
}

export function encodeAck(block: number): Buffer {
  const out = Buffer.allocUnsafe(4);
  out.writeUInt16BE(OP.ACK, 0);
  out.writeUInt16BE(block & 0xffff, 2);
  return out;
}

/** ERROR with a latin1 message; non-latin1 characters are replaced so the packet stays valid. */
export function encodeError(code: number, message: string): Buffer {
  const text = Buffer.from(message.replace(/[^\x20-\x7e]/g, '?'), 'latin1');
  const out = Buffer.alloc(5 + text.length);
  out.writeUInt16BE(OP.ERROR, 0);
  out.writeUInt16BE(code & 0xffff, 2);
  text.copy(out, 4);
  return out;
}

export function encodeOack(options: ReadonlyMap<string, string>): Buffer {
  return Buffer.concat([u16(OP.OACK), ...fieldsOf(options)]);
}

/** A request packet, for clients (the tests' scripted client and the benchmark). */
export function encodeRequest(req: RequestPacket): Buffer {
  return Buffer.concat([
    u16(req.op === 'rrq' ? OP.RRQ : OP.WRQ),
    Buffer.from(`${req.filename}\0${req.mode}\0`, 'latin1'),
    ...fieldsOf(req.options),
  ]);
}

function fieldsOf(options: ReadonlyMap<string, string>): Buffer[] {
  const out: Buffer[] = [];
  for (const [k, v] of options) out.push(Buffer.from(`${k}\0${v}\0`, 'latin1'));
  return out;
}

function u16(n: number): Buffer {
  const b = Buffer.allocUnsafe(2);
  b.writeUInt16BE(n, 0);
  return b;
}

/**
 * RFC 1350 §5 / RFC 764 netascii: line ends go out as CR LF, and a bare CR as CR NUL. Applied
 * to the whole body before the transfer, so tsize and blocks describe the converted bytes.
 */
export function toNetascii(body: Buffer): Buffer {
  let extra = 0;
  for (const b of body) if (b === 0x0a || b === 0x0d) extra++;
  if (extra === 0) return body;
  const out = Buffer.allocUnsafe(body.length + extra);
  let j = 0;
  for (const b of body) {
    if (b === 0x0a) {
      out[j++] = 0x0d;
      out[j++] = 0x0a;
    } else if (b === 0x0d) {
      out[j++] = 0x0d;
      out[j++] = 0x00;
    } else {
      out[j++] = b;
    }
  }
  return out;
}
