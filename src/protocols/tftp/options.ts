/**
 * Option negotiation (RFC 2347) for blksize (RFC 2348), timeout and tsize (RFC 2349) and
 * windowsize (RFC 7440). Pure. An option the server does not know or whose value is not valid
 * is left out of the OACK, which RFC 2347 §2 defines as refusing just that option; the transfer
 * then runs with the RFC 1350 default for it. Nothing here ever fails a request.
 */

/** What the server allows a client; a per-client profile narrows it. */
export interface OptionLimits {
  /** Largest blksize granted; larger requests are clamped down to it (RFC 2348 allows that). */
  readonly maxBlksize: number;
  /** Largest windowsize granted; larger requests are clamped. */
  readonly maxWindowsize: number;
  /** Options this client may negotiate at all; others are ignored as if unknown. */
  readonly allowed: ReadonlySet<KnownOption>;
}

export type KnownOption = 'blksize' | 'tsize' | 'timeout' | 'windowsize';
export const KNOWN_OPTIONS: readonly KnownOption[] = ['blksize', 'tsize', 'timeout', 'windowsize'];

/** The settings a transfer runs with, and the OACK that announces them (empty: no OACK). */
export interface Negotiated {
  readonly blksize: number;
  readonly windowsize: number;
  /** Retransmission timeout the client asked for, in seconds. */
  readonly timeoutSeconds?: number;
  /** RFC 2349 §2: the client's announced size on WRQ. */
  readonly declaredSize?: number;
  readonly oack: ReadonlyMap<string, string>;
  /** Options the client sent that were not granted (unknown, disabled or invalid), for the ledger. */
  readonly ignored: readonly string[];
}

const DECIMAL = /^[0-9]{1,20}$/;

function decimal(value: string): number | undefined {
  if (!DECIMAL.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Negotiates the options of one request. `size` is the file's size for an RRQ (tsize is
 * answered with it); for a WRQ pass undefined and the client's tsize is echoed (RFC 2349 §2).
 */
export function negotiate(
  requested: ReadonlyMap<string, string>,
  limits: OptionLimits,
  size: number | undefined,
): Negotiated {
  const oack = new Map<string, string>();
  const ignored: string[] = [];
  let blksize = 512;
  let windowsize = 1;
  let timeoutSeconds: number | undefined;
  let declaredSize: number | undefined;
  for (const [name, value] of requested) {
    const known = (KNOWN_OPTIONS as readonly string[]).includes(name) ? (name as KnownOption) : undefined;
    if (!known || !limits.allowed.has(known)) {
      ignored.push(name);
      continue;
    }
    const n = decimal(value);
    switch (known) {
      case 'blksize':
        // RFC 2348: 8..65464 octets; the server may answer with a smaller value.
        if (n === undefined || n < 8) break;
        blksize = Math.min(n, 65464, limits.maxBlksize);
        oack.set(name, String(blksize));
        continue;
      case 'windowsize':
        // RFC 7440 §3: 1..65535; the server may answer with a smaller value.
        if (n === undefined || n < 1) break;
        windowsize = Math.min(n, 65535, limits.maxWindowsize);
        oack.set(name, String(windowsize));
        continue;
      case 'timeout':
        // RFC 2349 §1: 1..255 seconds, and the server must echo it exactly or not at all.
        if (n === undefined || n < 1 || n > 255) break;
        timeoutSeconds = n;
        oack.set(name, String(n));
        continue;
      case 'tsize':
        if (n === undefined) break;
        if (size !== undefined) {
          // RFC 2349 §2: on a read the client sends 0 and the server answers with the size.
          oack.set(name, String(size));
        } else {
          declaredSize = n;
          oack.set(name, String(n));
        }
        continue;
    }
    ignored.push(name);
  }
  return {
    blksize,
    windowsize,
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    ...(declaredSize !== undefined ? { declaredSize } : {}),
    oack,
    ignored,
  };
}
