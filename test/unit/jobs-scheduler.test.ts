/** The job scheduler on a fake clock: time zones, DST change days, no overlapping runs, run now. */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Scheduler, type Clock } from '../../src/jobs/scheduler.js';

/** A clock whose timers fire only when the test advances it, in time order. */
class FakeClock implements Clock {
  #now: number;
  #timers: { at: number; fn: () => void; id: number }[] = [];
  #id = 0;
  constructor(iso: string) {
    this.#now = Date.parse(iso);
  }
  now(): number {
    return this.#now;
  }
  setTimer(fn: () => void, ms: number): unknown {
    const t = { at: this.#now + ms, fn, id: ++this.#id };
    this.#timers.push(t);
    return t.id;
  }
  clearTimer(h: unknown): void {
    this.#timers = this.#timers.filter((t) => t.id !== h);
  }
  /** Moves time forward, firing due timers one by one (and letting their promises settle). */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      this.#timers.sort((a, b) => a.at - b.at);
      const next = this.#timers[0];
      if (!next || next.at > end) break;
      this.#timers.shift();
      this.#now = Math.max(this.#now, next.at);
      next.fn();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
    this.#now = end;
  }
}

const logger = pino({ level: 'silent' });
const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('Scheduler', () => {
  it('reads schedules in the configured time zone', () => {
    const clock = new FakeClock('2026-01-10T00:00:00Z');
    const s = new Scheduler({ clock, timezone: 'America/New_York', logger });
    s.add({ name: 'j', schedule: '0 9 * * *', run: async () => 'ok' });
    s.start();
    expect(new Date(s.list()[0]!.nextRun!).toISOString()).toBe('2026-01-10T14:00:00.000Z');
    s.stop();
  });

  for (const [label, from] of [['spring forward', '2026-03-26T12:00:00Z'], ['fall back', '2026-10-22T12:00:00Z']] as const) {
    it(`runs a 02:30 job exactly once a day across the ${label} day in Europe/Berlin`, async () => {
      const clock = new FakeClock(from);
      const runs: string[] = [];
      const s = new Scheduler({ clock, timezone: 'Europe/Berlin', logger });
      s.add({ name: 'nightly', schedule: '30 2 * * *', run: async () => (runs.push(new Date(clock.now()).toISOString()), 'ok') });
      s.start();
      await clock.advance(6 * DAY);
      s.stop();
      const days = runs.map((r) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(r)));
      expect(runs).toHaveLength(6);
      expect(new Set(days).size).toBe(6);
    });
  }

  it('never overlaps a run with itself: a tick during a run is recorded as skipped', async () => {
    const clock = new FakeClock('2026-05-01T00:00:30Z');
    let release!: () => void;
    let started = 0;
    const reports: string[] = [];
    const s = new Scheduler({ clock, timezone: 'UTC', logger, onRun: (_n, r) => reports.push(r.result) });
    s.add({
      name: 'slow',
      schedule: '* * * * *',
      run: () => {
        started++;
        return new Promise<string>((r) => (release = () => r('done')));
      },
    });
    s.start();
    await clock.advance(60_000); // 00:01 starts the run
    expect(started).toBe(1);
    await clock.advance(2 * 60_000); // 00:02 and 00:03 find it running
    expect(started).toBe(1);
    expect(reports).toEqual(['skipped', 'skipped']);
    expect(s.list()[0]!.running).toBe(true);
    expect((await s.runNow('slow'))!.result).toBe('skipped');
    release();
    await s.idle();
    expect(s.list()[0]!.lastRun).toMatchObject({ result: 'ok', message: 'done' });
    await clock.advance(60_000);
    expect(started).toBe(2);
    release();
    await s.idle();
    s.stop();
  });

  it('records duration, failures and skips; runNow runs an unknown job as undefined', async () => {
    const clock = new FakeClock('2026-05-01T00:00:00Z');
    const s = new Scheduler({ clock, timezone: 'UTC', logger });
    s.add({ name: 'fails', schedule: '0 3 * * *', run: async () => { throw new Error('disk full'); } });
    s.add({ name: 'idle', schedule: '0 3 * * *', run: async () => ({ skipped: 'outside the window' }) });
    s.add({
      name: 'timed',
      schedule: '0 3 * * *',
      run: async () => {
        await clock.advance(1500);
        return 'fine';
      },
    });
    expect(await s.runNow('fails')).toMatchObject({ result: 'failed', message: 'disk full' });
    expect(await s.runNow('idle')).toMatchObject({ result: 'skipped', message: 'outside the window' });
    expect(await s.runNow('timed')).toMatchObject({ result: 'ok', durationMs: 1500 });
    expect(s.runNow('nope')).toBeUndefined();
  });

  it('refuses a bad cron expression and a bad time zone', () => {
    const s = new Scheduler({ clock: new FakeClock('2026-05-01T00:00:00Z'), timezone: 'UTC', logger });
    expect(() => s.add({ name: 'x', schedule: '61 * * * *', run: async () => '' })).toThrow();
    const bad = new Scheduler({ clock: new FakeClock('2026-05-01T00:00:00Z'), timezone: 'Mars/Olympus', logger });
    expect(() => {
      bad.add({ name: 'x', schedule: '0 * * * *', run: async () => '' });
      bad.start();
    }).toThrow();
  });
});
