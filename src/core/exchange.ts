/**
 * Exchanges that are not file transfers (a PnP SUBSCRIBE/NOTIFY) still leave one ledger record
 * and one fetch line each. Adapters report them here; the pipeline owns the recording.
 */
import type { DeviceIdentity, FetchRequest, Outcome } from './types.js';

export interface ExchangeReport {
  /** When the exchange began (ms since the epoch). */
  readonly started: number;
  readonly identity: DeviceIdentity;
  readonly outcome: Outcome;
  readonly reason?: string;
  readonly message?: string;
  /** Payload bytes the device received (the NOTIFY body). */
  readonly bytes: number;
  /** True when the device acknowledged what it was sent. */
  readonly delivered: boolean;
  /** Wire status (the final response to our request). */
  readonly status?: number;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface ExchangeRecorder {
  /** Records one finished exchange in the ledger and the fetch log. Never throws. */
  recordExchange(req: FetchRequest, report: ExchangeReport): void;
}
