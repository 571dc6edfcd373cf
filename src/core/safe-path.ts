/**
 * Request paths made safe before anything looks at the file system. Every protocol's path goes
 * through `parseRequestPath`; only its result may be joined onto a served root.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';

declare const safePathBrand: unique symbol;

/** A request path split into clean segments: no `..`, no `.`, no empty, no NUL or backslash. */
export interface SafePath {
  readonly [safePathBrand]: true;
  readonly segments: readonly string[];
  /** Segments joined with `/`, no leading slash ('' for the root). */
  readonly joined: string;
  /** Last segment ('' for the root). */
  readonly basename: string;
  /** Every segment but the last. */
  readonly folder: readonly string[];
}

export type PathRejection = 'nul_byte' | 'control_character' | 'backslash' | 'traversal' | 'too_long';

export const MAX_PATH_BYTES = 1024;
export const MAX_SEGMENT_BYTES = 255;

/**
 * Parses a decoded request path. Rejects rather than repairs: a `..` anywhere, a NUL, a control
 * character or a backslash (Windows-style traversal) is an attack or a broken client, and the
 * caller denies it with the rejection as the reason.
 */
export function parseRequestPath(path: string): SafePath | { readonly rejected: PathRejection } {
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) return { rejected: 'too_long' };
  if (path.includes('\0')) return { rejected: 'nul_byte' };
  // eslint-disable-next-line no-control-regex
  if (/[\x01-\x1f\x7f]/.test(path)) return { rejected: 'control_character' };
  if (path.includes('\\')) return { rejected: 'backslash' };
  const segments: string[] = [];
  for (const raw of path.split('/')) {
    if (raw === '' || raw === '.') continue;
    if (raw === '..') return { rejected: 'traversal' };
    if (Buffer.byteLength(raw) > MAX_SEGMENT_BYTES) return { rejected: 'too_long' };
    segments.push(raw);
  }
  return {
    segments,
    joined: segments.join('/'),
    basename: segments.at(-1) ?? '',
    folder: segments.slice(0, -1),
  } as unknown as SafePath;
}

export function isRejected(p: SafePath | { readonly rejected: PathRejection }): p is { readonly rejected: PathRejection } {
  return 'rejected' in p;
}

/**
 * Joins a safe path onto a root and proves the result stays inside it (guards against a root
 * given with a trailing sibling prefix such as `/srv/root` vs `/srv/root2`).
 */
export function joinInside(root: string, path: SafePath): string | undefined {
  const base = resolve(root);
  const full = resolve(base, ...path.segments);
  const rel = relative(base, full);
  if (rel === '') return full;
  if (rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return undefined;
  return full;
}
