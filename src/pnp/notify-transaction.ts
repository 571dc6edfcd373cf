/**
 * The client side of one non-INVITE transaction over UDP (RFC 3261 §17.1.2): the NOTIFY that
 * carries the provisioning URL. Retransmits on timer E until a response, gives up on timer F.
 */

/** RFC 3261 §17.1.2.2 default timers; tests shorten them. */
export interface SipTimers {
  /** T1, the round-trip estimate: first retransmission interval. */
  readonly t1Ms: number;
  /** T2, the longest retransmission interval for non-INVITE requests. */
  readonly t2Ms: number;
}

export const RFC3261_TIMERS: SipTimers = { t1Ms: 500, t2Ms: 4000 };

export type NotifyOutcome =
  | { readonly kind: 'final'; readonly status: number; readonly transmissions: number }
  | { readonly kind: 'timeout'; readonly transmissions: number }
  | { readonly kind: 'cancelled'; readonly transmissions: number };

export class NotifyTransaction {
  readonly #send: () => void;
  readonly #timers: SipTimers;
  #interval: number;
  #transmissions = 0;
  #retransmit: NodeJS.Timeout | undefined;
  #giveUp: NodeJS.Timeout | undefined;
  #done: ((o: NotifyOutcome) => void) | undefined;
  readonly outcome: Promise<NotifyOutcome>;

  constructor(send: () => void, timers: SipTimers) {
    this.#send = send;
    this.#timers = timers;
    this.#interval = timers.t1Ms;
    this.outcome = new Promise((resolve) => (this.#done = resolve));
  }

  /** Sends the request and arms timers E and F. */
  start(): void {
    this.#transmit();
    // Timer F = 64*T1 (§17.1.2.2): the transaction times out whatever was received meanwhile.
    this.#giveUp = setTimeout(() => this.#finish({ kind: 'timeout', transmissions: this.#transmissions }), 64 * this.#timers.t1Ms);
  }

  /** A response matched this transaction (same Via branch and CSeq). */
  response(status: number): void {
    if (status >= 200) {
      this.#finish({ kind: 'final', status, transmissions: this.#transmissions });
      return;
    }
    // §17.1.2.2 Proceeding: after a provisional response, retransmit every T2.
    this.#interval = this.#timers.t2Ms;
    this.#arm();
  }

  cancel(): void {
    this.#finish({ kind: 'cancelled', transmissions: this.#transmissions });
  }

  #transmit(): void {
    this.#transmissions++;
    this.#send();
    this.#arm();
  }

  #arm(): void {
    clearTimeout(this.#retransmit);
    this.#retransmit = setTimeout(() => {
      // Timer E doubles up to T2 (§17.1.2.2 Trying state).
      this.#interval = Math.min(this.#interval * 2, this.#timers.t2Ms);
      this.#transmit();
    }, this.#interval);
  }

  #finish(outcome: NotifyOutcome): void {
    clearTimeout(this.#retransmit);
    clearTimeout(this.#giveUp);
    const done = this.#done;
    this.#done = undefined;
    done?.(outcome);
  }
}
