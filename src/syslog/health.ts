/**
 * Registration failures read from phones' own logs, counted per device as a health hint. The
 * Huawei seed's FAQ: 401/403 mean wrong credentials, 404 an unknown account, 408 the network.
 * A line counts when it names a REGISTER (or "regist...") and one of these SIP statuses.
 */
import type { Mac } from '../core/mac.js';

export const REGISTRATION_CODES = [401, 403, 404, 408] as const;
export type RegistrationCode = (typeof REGISTRATION_CODES)[number];

const REGISTER = /\bREGISTER\b|regist/i;
// "SIP/2.0 403 Forbidden" (raw SIP in the log) or "403 Forbidden" / "code 403" / "reason:403".
const STATUS = /(?:SIP\/2\.0\s+|\b(?:code|status|reason|response)\s*[:=]?\s*|\b)(401|403|404|408)\b(?!\.\d)/i;

const BARE_STATUS = /^\s*SIP\/2\.0\s+(401|403|404|408)\b/m;
const CSEQ_REGISTER = /^\s*CSeq:\s*\d+\s+REGISTER\b/im;
const PAIR_MS = 2000;

/** The registration failure a log line reports, if any. */
export function registrationFailure(text: string): RegistrationCode | undefined {
  if (!REGISTER.test(text)) return undefined;
  const m = STATUS.exec(text);
  return m ? (Number(m[1]) as RegistrationCode) : undefined;
}

export interface DeviceLogHealth {
  readonly mac: Mac;
  readonly messages: number;
  readonly lastMessage: number;
  /** Failures by SIP status since the daemon started. */
  readonly registrationFailures: Readonly<Record<string, number>>;
  readonly lastFailure?: { readonly time: number; readonly status: number };
}

/** What the admin API (and `provd logs --summary`) reads. */
export interface LogHealthSource {
  health(): readonly DeviceLogHealth[];
}

interface Mutable {
  /** A bare status line (`SIP/2.0 403 Forbidden`) waiting for its `CSeq: n REGISTER` line. */
  pendingStatus?: { code: RegistrationCode; time: number };
  messages: number;
  lastMessage: number;
  failures: Record<string, number>;
  lastFailure?: { time: number; status: number };
}

/** Per-device counters; bounded by the number of attributed devices. */
export class LogHealth implements LogHealthSource {
  readonly #devices = new Map<Mac, Mutable>();
  readonly #maxDevices: number;
  #changed = false;

  constructor(maxDevices = 100_000) {
    this.#maxDevices = maxDevices;
  }

  /** Counts one message from a device; returns the failure it reported, if any. */
  note(mac: Mac, text: string, time: number): RegistrationCode | undefined {
    let d = this.#devices.get(mac);
    if (!d) {
      if (this.#devices.size >= this.#maxDevices) return undefined;
      d = { messages: 0, lastMessage: 0, failures: {} };
      this.#devices.set(mac, d);
    }
    d.messages++;
    d.lastMessage = time;
    this.#changed = true;
    let code = registrationFailure(text);
    // Phones that log SIP one line per message (Grandstream P1387) put the status line and the
    // CSeq line in separate messages: pair them when they follow within a couple of seconds.
    const bare = BARE_STATUS.exec(text);
    if (code === undefined && bare) d.pendingStatus = { code: Number(bare[1]) as RegistrationCode, time };
    else if (code === undefined && d.pendingStatus && CSEQ_REGISTER.test(text) && time - d.pendingStatus.time <= PAIR_MS) {
      code = d.pendingStatus.code;
      d.pendingStatus = undefined;
    }
    if (code !== undefined) {
      d.failures[code] = (d.failures[code] ?? 0) + 1;
      d.lastFailure = { time, status: code };
    }
    return code;
  }

  /** True once since the last call when something was counted (for periodic snapshots). */
  takeChanged(): boolean {
    const c = this.#changed;
    this.#changed = false;
    return c;
  }

  health(): readonly DeviceLogHealth[] {
    return [...this.#devices].map(([mac, d]) => ({
      mac,
      messages: d.messages,
      lastMessage: d.lastMessage,
      registrationFailures: { ...d.failures },
      ...(d.lastFailure && { lastFailure: { ...d.lastFailure } }),
    }));
  }
}
