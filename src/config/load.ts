/**
 * Loads the daemon's configuration: one YAML file, then `PROVD_*` environment variables, then
 * command-line flags (each later source wins). Every problem in all three is collected and
 * returned together, each pointing at its line and column, variable or flag, so an admin fixes
 * everything in one pass. The result is absolute-pathed and deeply frozen.
 *
 * No process.* here: main passes in the environment, the flags and the working directory.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deepFreeze } from './freeze.js';
import { issuesToProblems } from './issues.js';
import type { OverrideOrigin } from './issues.js';
import { CONFIG_ENV, OVERRIDES } from './overrides.js';
import type { ConfigOverrides, OverrideSpec } from './overrides.js';
import { emptyPathFields, resolvePaths } from './paths.js';
import type { ConfigProblem } from './problems.js';
import { sortProblems } from './problems.js';
import { configSchema } from './schema.js';
import type { Config } from './schema.js';
import { parseYamlSource } from './yaml-source.js';

export type { ConfigProblem } from './problems.js';
export type { ConfigOverrides } from './overrides.js';

export interface LoadConfigInput {
  /** `--config FILE`; relative to `cwd`. */
  readonly file?: string;
  /** The process environment (only `PROVD_*` names are read). Empty values count as unset. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly flags: ConfigOverrides;
  /** Absolute path of the package's embedded `config/provd.yaml`. */
  readonly defaultFile: string;
  /** Working directory that relative `--config`, env and flag paths are taken against. */
  readonly cwd: string;
}

export type LoadConfigResult =
  | { readonly ok: true; readonly config: Readonly<Config>; readonly file: string }
  | { readonly ok: false; readonly problems: ConfigProblem[]; readonly file: string };

/**
 * Picks the config file (`file`, else `PROVD_CONFIG`, else `defaultFile`), reads and validates
 * it with the overrides applied. Never throws for bad input; `problems` lists all of it.
 */
export function loadConfig(input: LoadConfigInput): LoadConfigResult {
  const envConfig = nonEmpty(input.env[CONFIG_ENV]);
  const chosen = input.file !== undefined
    ? { name: input.file, source: 'flag' as const }
    : envConfig !== undefined
      ? { name: envConfig, source: 'env' as const }
      : { name: input.defaultFile, source: 'file' as const };
  const file = path.resolve(input.cwd, chosen.name);

  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const via = chosen.source === 'flag' ? ' (from --config)' : chosen.source === 'env' ? ` (from ${CONFIG_ENV})` : '';
    return { ok: false, file, problems: [{ file, source: chosen.source, message: `cannot read config file${via}: ${readError(err)}` }] };
  }

  const yaml = parseYamlSource(text, file);
  const problems: ConfigProblem[] = [...yaml.problems];
  const raw: unknown = yaml.value === undefined || yaml.value === null ? {} : yaml.value;

  const overrides = collectOverrides(input, problems);
  if (yaml.problems.length > 0) return { ok: false, file, problems: sortProblems(problems) };

  const origins: OverrideOrigin[] = [];
  if (isPlainObject(raw)) {
    for (const o of overrides) if (setIn(raw, o.spec.path, o.value)) origins.push(o.origin);
  }

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(...issuesToProblems(parsed.error.issues, configSchema, raw, yaml, file, origins));
    return { ok: false, file, problems: sortProblems(problems) };
  }

  const config = parsed.data;
  for (const p of emptyPathFields(config)) {
    problems.push({ file, ...yaml.locate(p), source: 'file', message: `${p.join('.')}: must not be empty` });
  }
  if (problems.length > 0) return { ok: false, file, problems: sortProblems(problems) };

  resolvePaths(config, path.dirname(file), yaml.has(['templates', 'shipped']), path.dirname(input.defaultFile));
  return { ok: true, file, config: deepFreeze(config) as Readonly<Config> };
}

interface Override {
  readonly spec: OverrideSpec;
  readonly value: string | number;
  readonly origin: OverrideOrigin;
}

/** Environment first, flags second, so a flag's value is applied last and wins. */
function collectOverrides(input: LoadConfigInput, problems: ConfigProblem[]): Override[] {
  const out: Override[] = [];
  const sources = [
    { source: 'env' as const, get: (s: OverrideSpec) => nonEmpty(input.env[s.env]), name: (s: OverrideSpec) => s.env },
    { source: 'flag' as const, get: (s: OverrideSpec) => input.flags[s.key], name: (s: OverrideSpec) => `--${s.flag}` },
  ];
  for (const { source, get, name } of sources) {
    for (const spec of OVERRIDES) {
      const text = get(spec);
      if (text === undefined) continue;
      const converted = convert(spec, text, input.cwd);
      if (typeof converted === 'object') {
        problems.push({ source, message: `${name(spec)}: ${converted.error}` });
        continue;
      }
      out.push({ spec, value: converted, origin: { path: spec.path, source, name: name(spec) } });
    }
  }
  return out;
}

function convert(spec: OverrideSpec, text: string, cwd: string): string | number | { error: string } {
  switch (spec.kind) {
    case 'port': {
      const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
      return n <= 65535 ? n : { error: `expected a port number from 0 to 65535, got '${text}'` };
    }
    case 'path':
      return text === '' ? { error: 'must not be empty' } : path.resolve(cwd, text);
    case 'string':
      // An empty public host means "detect it"; an empty bind address or log level means nothing.
      return text === '' && spec.key !== 'publicHost' ? { error: 'must not be empty' } : text;
  }
}

/** Sets `value` at `keys`, creating missing mappings; false when the file has a non-mapping in the way. */
function setIn(obj: Record<string, unknown>, keys: readonly string[], value: unknown): boolean {
  let node = obj;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (!isPlainObject(next)) return false;
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
  return true;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

function readError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'EACCES') return 'permission denied';
  return (err as Error).message;
}
