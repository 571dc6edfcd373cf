/**
 * Validators and conditional requests (RFC 9110 §8.8, §13). The ETag is the body's MD5, the one
 * identity phones and the ledger already share.
 */

/** The strong entity-tag for a body with this MD5. */
export function etagFor(md5: string): string {
  return `"${md5}"`;
}

/** HTTP-date (IMF-fixdate) for a modification time in milliseconds. */
export function httpDate(mtimeMs: number): string {
  return new Date(mtimeMs).toUTCString();
}

/**
 * If-None-Match (§13.1.2) with the weak comparison the RFC requires for it: `W/` is ignored on
 * both sides. `*` matches because the file exists. Bare unquoted tags are accepted too, since
 * some embedded clients strip the quotes they were given.
 */
export function ifNoneMatchHits(header: string, etag: string): boolean {
  const wanted = opaque(etag);
  for (const item of header.split(',')) {
    const tag = item.trim();
    if (tag === '*') return true;
    if (tag !== '' && opaque(tag) === wanted) return true;
  }
  return false;
}

/**
 * If-Modified-Since (§13.1.3), only consulted when If-None-Match is absent. Times compare at the
 * one-second resolution of HTTP dates; an unparseable date is ignored.
 */
export function notModifiedSince(header: string, mtimeMs: number): boolean {
  const since = Date.parse(header);
  if (Number.isNaN(since)) return false;
  return Math.floor(mtimeMs / 1000) * 1000 <= since;
}

/**
 * If-Range (§13.1.5): a Range is honoured only when the validator still names the current body.
 * Entity-tags use the strong comparison, so a weak tag never matches; a date must equal the
 * Last-Modified the client was given.
 */
export function ifRangeAllows(header: string, etag: string, mtimeMs: number): boolean {
  const value = header.trim();
  if (value.startsWith('W/')) return false;
  if (value.startsWith('"')) return value === etag;
  const date = Date.parse(value);
  return !Number.isNaN(date) && date === Math.floor(mtimeMs / 1000) * 1000;
}

function opaque(tag: string): string {
  const t = tag.startsWith('W/') ? tag.slice(2) : tag;
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}
