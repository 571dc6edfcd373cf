/** The nightly resync window in a time zone, including windows that span midnight. */
import { describe, expect, it } from 'vitest';
import { windowEnd } from '../../src/jobs/window.js';

describe('windowEnd', () => {
  it('closes at `until` local time while inside, undefined outside', () => {
    // 01:30 UTC = 02:30 CET (Berlin, winter); window 02:00-05:00 closes 04:00 UTC.
    expect(windowEnd(Date.parse('2026-01-10T01:30:20Z'), 'Europe/Berlin', '02:00', '05:00')).toBe(Date.parse('2026-01-10T04:00:00Z'));
    expect(windowEnd(Date.parse('2026-01-10T04:00:00Z'), 'Europe/Berlin', '02:00', '05:00')).toBeUndefined();
    expect(windowEnd(Date.parse('2026-01-10T00:59:00Z'), 'Europe/Berlin', '02:00', '05:00')).toBeUndefined();
  });
  it('takes from == until as the whole day', () => {
    expect(windowEnd(Date.parse('2026-06-10T13:00:00Z'), 'UTC', '03:00', '03:00')).toBe(Date.parse('2026-06-11T03:00:00Z'));
    expect(windowEnd(Date.parse('2026-06-10T03:00:00Z'), 'UTC', '03:00', '03:00')).toBe(Date.parse('2026-06-11T03:00:00Z'));
  });
  it('spans midnight', () => {
    expect(windowEnd(Date.parse('2026-06-10T23:00:00Z'), 'UTC', '22:00', '04:00')).toBe(Date.parse('2026-06-11T04:00:00Z'));
    expect(windowEnd(Date.parse('2026-06-11T03:59:00Z'), 'UTC', '22:00', '04:00')).toBe(Date.parse('2026-06-11T04:00:00Z'));
    expect(windowEnd(Date.parse('2026-06-11T12:00:00Z'), 'UTC', '22:00', '04:00')).toBeUndefined();
  });
});
