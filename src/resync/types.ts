/** What a resync is asked to do and what it reports, shared by the admin API, CLI and jobs. */
import type { Mac } from '../core/mac.js';

export interface ResyncRequest {
  /** Explicit devices; combined with the filters below (all must hold). */
  readonly macs?: readonly Mac[];
  /** Only devices whose state is `pending` (a file changed since they last fetched it). */
  readonly pending?: boolean;
  readonly site?: string;
  readonly model?: string;
  /** Send the vendor's reboot event instead of resync. */
  readonly reboot?: boolean;
  /** NOTIFYs per second; the configured default when absent. */
  readonly ratePerSecond?: number;
  /**
   * Wave sizes, e.g. [1, 5, 25, 100]: one phone, then five, then 25, then 100 at a time (the last
   * size repeats for the rest). Each wave waits for its phones to fetch before the next starts.
   */
  readonly waves?: readonly number[];
  /** Who asked (`api`, `cli`, `job:nightly_resync`), for logs. */
  readonly origin?: string;
  /** Stop sending once this time (ms since epoch) is reached (the nightly window). */
  readonly notAfter?: number;
}

export type DeviceResultStatus =
  | 'queued'
  | 'sent'        // the phone answered 2xx; waiting for it to fetch
  | 'fetched'     // the ledger shows a fetch after the NOTIFY
  | 'rejected'    // a final non-2xx SIP answer
  | 'timeout'     // no answer within 64*T1 (RFC 3261 §17.1.2.2 Timer F)
  | 'no_address'  // never seen: no ledger record to take an address from
  | 'no_fetch'    // answered but did not fetch within the wave timeout
  | 'skipped'     // the run stopped (window closed, earlier wave failed)
  | 'error';

export interface DeviceResult {
  readonly mac: Mac;
  readonly vendor: string;
  readonly wave: number;
  status: DeviceResultStatus;
  address?: string;
  event?: string;
  sipCode?: number;
  sipReason?: string;
  message?: string;
  sentAt?: number;
  fetchedAt?: number;
}

export interface WaveReport {
  readonly index: number;
  readonly size: number;
  state: 'waiting' | 'sending' | 'awaiting_fetch' | 'done' | 'stopped';
  /** Devices of this wave that did not fetch (the reason a wave stops the run). */
  missing: Mac[];
}

export interface ResyncRun {
  readonly id: string;
  readonly origin: string;
  readonly startedAt: number;
  finishedAt: number | null;
  state: 'running' | 'done' | 'stopped';
  readonly reboot: boolean;
  readonly ratePerSecond: number;
  readonly waves: WaveReport[];
  readonly devices: DeviceResult[];
  /** Why the run stopped early, when it did. */
  stopReason?: string;
}

/** The admin API's view of the resync machinery (implemented in resync/service.ts). */
export interface ResyncControl {
  /** Starts a run; problems (no device matched, unknown MAC) come back instead of a run. */
  start(req: ResyncRequest): { ok: true; run: ResyncRun } | { ok: false; problems: string[] };
  get(id: string): ResyncRun | undefined;
  list(): readonly ResyncRun[];
}
