/**
 * Cron-style jobs on an injected clock. croner only computes the next run time (in the configured
 * time zone, DST-correct: node-cron skips or doubles runs on change days); the timers are ours, so
 * tests drive a fake clock. A job never overlaps itself: a tick that finds it running is recorded
 * as skipped. Each run logs start, end, duration and result, and is kept for the API.
 */
import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { JobControl, JobInfo, JobRunReport } from './types.js';

export interface Clock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => {
    // setTimeout caps at 2^31-1 ms (~24.8 days); a later run is reached in hops.
    const t = setTimeout(fn, Math.min(ms, 2 ** 31 - 1));
    t.unref();
    return t;
  },
  clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface JobDefinition {
  readonly name: string;
  readonly schedule: string;
  /** Does the work; resolves with a one-line summary, or `{ skipped }` when there was nothing to do. */
  readonly run: () => Promise<string | { readonly skipped: string }>;
}

interface Entry {
  readonly def: JobDefinition;
  readonly cron: Cron;
  timer?: unknown;
  nextRun: number | null;
  running?: Promise<JobRunReport>;
  lastRun: JobRunReport | null;
}

export interface SchedulerDeps {
  readonly clock: Clock;
  readonly timezone: string;
  readonly logger: Logger;
  readonly onRun?: (name: string, report: JobRunReport) => void;
}

export class Scheduler implements JobControl {
  readonly #d: SchedulerDeps;
  readonly #jobs = new Map<string, Entry>();
  #started = false;

  constructor(deps: SchedulerDeps) {
    this.#d = deps;
  }

  /** Adds a job; throws on a bad cron expression or time zone (callers check config first). */
  add(def: JobDefinition): void {
    const cron = new Cron(def.schedule, { timezone: this.#d.timezone, paused: true });
    this.#jobs.set(def.name, { def, cron, nextRun: null, lastRun: null });
    if (this.#started) this.#arm(this.#jobs.get(def.name)!);
  }

  start(): void {
    this.#started = true;
    for (const e of this.#jobs.values()) this.#arm(e);
  }

  stop(): void {
    this.#started = false;
    for (const e of this.#jobs.values()) {
      if (e.timer !== undefined) this.#d.clock.clearTimer(e.timer);
      e.timer = undefined;
    }
  }

  list(): readonly JobInfo[] {
    return [...this.#jobs.values()].map((e) => ({
      name: e.def.name,
      schedule: e.def.schedule,
      timezone: this.#d.timezone,
      nextRun: e.nextRun,
      running: e.running !== undefined,
      lastRun: e.lastRun,
    }));
  }

  runNow(name: string): Promise<JobRunReport> | undefined {
    const e = this.#jobs.get(name);
    return e ? this.#run(e) : undefined;
  }

  /** Waits for a running job (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.#jobs.values()].map((e) => e.running));
  }

  #arm(e: Entry): void {
    const now = this.#d.clock.now();
    const next = e.cron.nextRun(new Date(now));
    e.nextRun = next ? next.getTime() : null;
    if (e.nextRun === null) return;
    const target = e.nextRun;
    const tick = (): void => {
      if (!this.#started) return;
      // A timer may fire early (hops past the setTimeout cap, clock adjustments): wait again.
      if (this.#d.clock.now() < target) {
        e.timer = this.#d.clock.setTimer(tick, target - this.#d.clock.now());
        return;
      }
      void this.#run(e);
      this.#arm(e);
    };
    e.timer = this.#d.clock.setTimer(tick, Math.max(0, target - now));
  }

  #run(e: Entry): Promise<JobRunReport> {
    const clock = this.#d.clock;
    const log = this.#d.logger.child({ job: e.def.name });
    if (e.running) {
      const t = clock.now();
      const report: JobRunReport = { startedAt: t, finishedAt: t, durationMs: 0, result: 'skipped', message: 'the previous run is still going' };
      log.warn({ result: 'skipped' }, 'job skipped: still running');
      e.lastRun = report;
      this.#d.onRun?.(e.def.name, report);
      return Promise.resolve(report);
    }
    const startedAt = clock.now();
    log.info('job started');
    const p = (async (): Promise<JobRunReport> => {
      let result: JobRunReport['result'] = 'ok';
      let message: string;
      try {
        const out = await e.def.run();
        if (typeof out === 'string') message = out;
        else {
          result = 'skipped';
          message = out.skipped;
        }
      } catch (err) {
        result = 'failed';
        message = err instanceof Error ? err.message : String(err);
      }
      const finishedAt = clock.now();
      const report: JobRunReport = { startedAt, finishedAt, durationMs: finishedAt - startedAt, result, message };
      (result === 'failed' ? log.error.bind(log) : log.info.bind(log))({ result, duration_ms: report.durationMs, detail: message }, 'job finished');
      e.lastRun = report;
      e.running = undefined;
      this.#d.onRun?.(e.def.name, report);
      return report;
    })();
    e.running = p;
    return p;
  }
}
