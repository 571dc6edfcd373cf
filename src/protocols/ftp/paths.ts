/**
 * FTP path arguments. The client sees a virtual root (its login's folder); absolute paths start
 * there, relative ones at the working folder. Rejects rather than repairs: `..`, backslashes,
 * NUL or control characters, over-long names are an attack or a broken client (550 and a
 * security log line), checked on the raw argument before anything else looks at it.
 */
import { MAX_PATH_BYTES, MAX_SEGMENT_BYTES } from '../../core/safe-path.js';

export type FtpPath =
  | { readonly ok: true; readonly segments: readonly string[] }
  | { readonly ok: false; readonly reason: 'traversal' | 'backslash' | 'nul_byte' | 'control_character' | 'too_long' };

/** Resolves `arg` against the working folder (both relative to the login's root). */
export function resolveFtpPath(cwd: readonly string[], arg: string): FtpPath {
  if (Buffer.byteLength(arg) > MAX_PATH_BYTES) return { ok: false, reason: 'too_long' };
  if (arg.includes('\0')) return { ok: false, reason: 'nul_byte' };
  // eslint-disable-next-line no-control-regex
  if (/[\x01-\x1f\x7f]/.test(arg)) return { ok: false, reason: 'control_character' };
  if (arg.includes('\\')) return { ok: false, reason: 'backslash' };
  const segments = arg.startsWith('/') ? [] : [...cwd];
  for (const raw of arg.split('/')) {
    if (raw === '' || raw === '.') continue;
    if (raw === '..') return { ok: false, reason: 'traversal' };
    if (Buffer.byteLength(raw) > MAX_SEGMENT_BYTES) return { ok: false, reason: 'too_long' };
    segments.push(raw);
  }
  return { ok: true, segments };
}

/** The path as the pipeline sees it: the login's folder in front, a leading slash. */
export function treePath(home: readonly string[], segments: readonly string[]): string {
  return `/${[...home, ...segments].join('/')}`;
}

/** RFC 959 §4.1.3 / RFC 3659 quoting for 257 replies: a double quote inside is doubled. */
export function quotePath(segments: readonly string[]): string {
  return `"/${segments.join('/').replace(/"/g, '""')}"`;
}
