/**
 * Single byte-range selection (RFC 9110 §14.1.2, §14.2). Several ranges are answered with the
 * whole body, which the RFC allows and which every phone firmware downloader accepts.
 */

export type RangeChoice =
  | { readonly kind: 'full' }
  /** Inclusive byte positions, already clamped to the file. */
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable' };

const FULL: RangeChoice = { kind: 'full' };
const UNSATISFIABLE: RangeChoice = { kind: 'unsatisfiable' };
const SPEC = /^(\d*)-(\d*)$/;

/**
 * Chooses what to send for a Range header against a body of `size` bytes. A header that does
 * not parse is ignored (full body), as §14.2 requires; a range starting past the end, or a
 * zero-length suffix, is unsatisfiable (416).
 */
export function chooseRange(header: string | undefined, size: number): RangeChoice {
  if (header === undefined) return FULL;
  const eq = header.indexOf('=');
  if (eq === -1 || header.slice(0, eq).trim().toLowerCase() !== 'bytes') return FULL;
  const specs = header
    .slice(eq + 1)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (specs.length !== 1) return FULL;
  const m = SPEC.exec(specs[0] ?? '');
  if (!m) return FULL;
  const first = m[1] ?? '';
  const last = m[2] ?? '';
  if (first === '') {
    if (last === '') return FULL;
    // Suffix range: the final N bytes.
    const n = Number(last);
    if (n === 0 || size === 0) return UNSATISFIABLE;
    return { kind: 'partial', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return FULL;
  if (start >= size) return UNSATISFIABLE;
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { kind: 'partial', start, end };
}
