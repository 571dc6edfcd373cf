/**
 * Strict ISO 8601 times for `--since`. Only forms whose meaning does not depend on the
 * machine's time zone are accepted: a bare date (taken as UTC midnight) or a date-time with
 * `Z` or an explicit offset.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})$/;

/** Milliseconds since the epoch, or undefined when `text` is not such a time (or no real date). */
export function parseIsoTime(text: string): number | undefined {
  const d = DATE.exec(text);
  if (d) return utc(Number(d[1]), Number(d[2]), Number(d[3]), 0, 0, 0, 0, 0);
  const t = DATE_TIME.exec(text);
  if (!t) return undefined;
  const [, y, mo, da, h, mi, s, frac, zone] = t;
  const ms = frac === undefined ? 0 : Number(frac.padEnd(3, '0').slice(0, 3));
  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  return utc(Number(y), Number(mo), Number(da), Number(h), Number(mi), Number(s ?? 0), ms, offsetMinutes);
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMinutes: number): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const dayStart = new Date(Date.UTC(y, mo - 1, d));
  // Date.UTC rolls 2024-02-30 over into March; a rolled date is not a real one.
  if (dayStart.getUTCDate() !== d || dayStart.getUTCMonth() !== mo - 1) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMinutes * 60_000;
}
