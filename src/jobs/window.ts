/** Time-of-day windows in a time zone (the nightly resync's from/until). Pure. */

/** Minutes since local midnight in `timeZone` at `ms`. */
export function localMinutes(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When the window [from, until) that contains `ms` closes (ms since epoch), or undefined when
 * `ms` is outside it. A window may span midnight (22:00-04:00); from == until is the whole day.
 */
export function windowEnd(ms: number, timeZone: string, from: string, until: string): number | undefined {
  const now = localMinutes(ms, timeZone);
  const a = minutesOf(from);
  const b = minutesOf(until);
  const inside = a === b || (a < b ? now >= a && now < b : now >= a || now < b);
  if (!inside) return undefined;
  const left = (b - now + 1440) % 1440 || 1440;
  // Whole minutes: the window closes at the start of the `until` minute.
  return ms - (ms % 60_000) + left * 60_000;
}
