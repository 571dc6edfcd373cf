/**
 * MAC addresses. Everything inside provd handles a MAC as 12 lower-case hex digits with no
 * separators (a branded string), whatever notation the admin, the spreadsheet or the phone used.
 */

declare const macBrand: unique symbol;
/** A normalised MAC: exactly 12 lower-case hex digits. Only `parseMac` makes one. */
export type Mac = string & { readonly [macBrand]: true };

// Accepted: 001565f429a4, 00:15:65:F4:29:A4, 00-15-65-f4-29-a4, 0015.65f4.29a4 (Cisco), 001565-f429a4.
const NOTATIONS = [
  /^[0-9a-f]{12}$/i,
  /^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$/i,
  /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i,
  /^[0-9a-f]{6}-[0-9a-f]{6}$/i,
];

/** Parses a MAC in any common notation; undefined when it is not one. */
export function parseMac(input: string): Mac | undefined {
  const trimmed = input.trim();
  if (!NOTATIONS.some((re) => re.test(trimmed))) return undefined;
  return trimmed.replace(/[^0-9a-f]/gi, '').toLowerCase() as Mac;
}

/** The MAC upper-cased, as Snom and Cisco enterprise phones write it in file names. */
export function macUpper(mac: Mac): string {
  return mac.toUpperCase();
}

/** The MAC with colons, as Yealink and Htek User-Agents carry it. */
export function macColons(mac: Mac): string {
  return mac.replace(/(..)(?!$)/g, '$1:');
}

/** True for the all-zero MAC that Yealink and Polycom use in their common file names. */
export function isZeroMac(mac: Mac): boolean {
  return /^0{12}$/.test(mac);
}
