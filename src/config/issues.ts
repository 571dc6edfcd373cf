/**
 * Turns zod's complaints about a config value into problems an admin can act on: each names
 * the dotted key, and points at the file position, the environment variable or the flag that
 * supplied the value.
 */
import { z } from 'zod';
import type { ConfigProblem } from './problems.js';
import type { YamlSource } from './yaml-source.js';

/** Who supplied the value at `path` when it did not come from the file. */
export interface OverrideOrigin {
  readonly path: readonly string[];
  readonly source: 'env' | 'flag';
  /** `PROVD_HTTP_PORT` or `--http-port`. */
  readonly name: string;
}

/** Maps every issue to a problem; unknown keys become one problem per key. */
export function issuesToProblems(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
  raw: unknown,
  yaml: YamlSource,
  file: string,
  origins: readonly OverrideOrigin[],
): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = issue.path;
    // The last origin applied is the value zod saw (a flag over the same variable).
    const origin = origins.findLast((o) => startsWith(path, o.path));
    if (origin) {
      out.push({ source: origin.source, message: `${origin.name}: ${issue.message}` });
      continue;
    }
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, path);
      for (const key of issue.keys) {
        out.push({
          file, ...yaml.locateKey(path, key), source: 'file',
          message: `${dotted([...path, key])}: unknown key${hint(key, known)}`,
        });
      }
      continue;
    }
    const missing = issue.code === 'invalid_type' && valueAt(raw, path) === undefined;
    out.push({
      file, ...yaml.locate(path), source: 'file',
      message: `${dotted(path)}: ${missing ? `missing (expected ${issue.expected})` : issue.message}`,
    });
  }
  return out;
}

/** `security.auth.folders[0].path`; `(top level)` for the root. */
export function dotted(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : `${i === 0 ? '' : '.'}${String(seg)}`))
    .join('');
}

function startsWith(path: readonly PropertyKey[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/** Keys the schema allows for the object at `path` (empty when it cannot tell). */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: unknown = schema;
  for (const seg of [...path, undefined]) {
    // Peel wrappers that do not change the shape of the value.
    while (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap();
    if (seg === undefined) break;
    if (s instanceof z.ZodObject && typeof seg === 'string') s = (s.shape as Record<string, unknown>)[seg];
    else if (s instanceof z.ZodArray && typeof seg === 'number') s = s.element;
    else return [];
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

/** " (did you mean 'port'?)" for a near miss, else the list of allowed keys. */
function hint(key: string, known: readonly string[]): string {
  if (known.length === 0) return '';
  const close = known
    .map((k) => ({ k, d: distance(key.toLowerCase(), k) }))
    .filter(({ k, d }) => d <= Math.max(1, Math.floor(k.length / 3)))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k));
  if (close[0]) return ` (did you mean '${close[0].k}'?)`;
  return ` (allowed: ${known.join(', ')})`;
}

/**
 * Edit distance where swapping two neighbours costs one (`prot` is one typo from `port`).
 * Config keys are short, so the quadratic table is fine.
 */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(at(i, j), at(i - 2, j - 2) + 1);
    }
  }
  return at(a.length, b.length);
}
