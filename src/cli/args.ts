/**
 * `provd` command-line parsing: argv (without node and the script) in, a typed command out.
 * Pure: no process.*, no I/O. Values that need the config to judge (ports, paths) are passed
 * through as text in `overrides` so that `loadConfig` reports them with every other problem.
 */
import { parseArgs } from 'node:util';
import { OVERRIDES } from '../config/overrides.js';
import type { ConfigOverrides } from '../config/overrides.js';
import { parseMac } from '../core/mac.js';
import type { Mac } from '../core/mac.js';
import { COMMANDS, COMMON_FLAGS, commandHelp, commandSpec, topHelp, usageLine } from './help.js';
import type { CommandSpec, FlagSpec } from './help.js';
import { parseIsoTime } from './iso-time.js';
import { SNIPPET_TARGETS, type SnippetTarget } from '../dhcp/snippets.js';
import { parseResyncArgs, type ResyncArgs } from './resync-args.js';

/** What every config-reading subcommand carries. */
export interface ConfigArgs {
  /** `--config FILE` as typed (main resolves it against the working directory). */
  readonly configFile?: string;
  readonly overrides: ConfigOverrides;
}

export type ParsedCommand =
  | ({ readonly command: 'serve' } & ConfigArgs)
  | ({ readonly command: 'check' } & ConfigArgs)
  | ({ readonly command: 'render'; readonly mac: Mac; readonly file: string; readonly resolveIps?: boolean } & ConfigArgs)
  | ({ readonly command: 'import'; readonly csv: string; readonly out?: string } & ConfigArgs)
  | ({ readonly command: 'ledger'; readonly mac?: Mac; readonly since?: number; readonly limit?: number; readonly json: boolean } & ConfigArgs)
  | ({ readonly command: 'status'; readonly mac?: Mac; readonly json: boolean } & ConfigArgs)
  | ({ readonly command: 'logs'; readonly mac?: Mac; readonly unattributed: boolean; readonly follow: boolean; readonly summary: boolean; readonly lines: number; readonly json: boolean } & ConfigArgs)
  | ({ readonly command: 'dhcp'; readonly action: 'snippet'; readonly target: SnippetTarget } & ConfigArgs)
  | ({ readonly command: 'backup'; readonly out: string } & ConfigArgs)
  | { readonly command: 'hash-password' }
  | ({ readonly command: 'resync'; readonly resync: ResyncArgs; readonly json: boolean } & ConfigArgs)
  | { readonly command: 'help'; readonly text: string }
  | { readonly command: 'version' };

/** Bad command line: `error` is one line, `usage` tells how to call it right. */
export interface ArgsError {
  readonly command: 'error';
  readonly error: string;
  readonly usage: string;
}

export const LIMIT_MAX = 1_000_000;

/** Parses `argv` (e.g. `process.argv.slice(2)`); never throws. */
export function parseCommandLine(argv: readonly string[]): ParsedCommand | ArgsError {
  const [first, ...rest] = argv;
  if (first === undefined) return topError('no command given');
  if (first === '--help' || first === '-h') return { command: 'help', text: topHelp() };
  if (first === '--version') return { command: 'version' };
  if (first === 'help') return helpFor(rest);
  if (first.startsWith('-')) return topError(`unknown option ${first} (options go after the command)`);
  const spec = commandSpec(first);
  if (!spec) return topError(`unknown command '${first}'`);
  return parseSubcommand(spec, rest);
}

function helpFor(args: readonly string[]): ParsedCommand | ArgsError {
  const [name, extra] = args;
  if (name === undefined || name === 'help') return { command: 'help', text: topHelp() };
  const spec = commandSpec(name);
  if (!spec) return topError(`no help for unknown command '${name}'`);
  if (extra !== undefined) return topError(`unexpected argument '${extra}' after 'help ${name}'`);
  return { command: 'help', text: commandHelp(spec) };
}

function parseSubcommand(spec: CommandSpec, args: readonly string[]): ParsedCommand | ArgsError {
  const flags: readonly FlagSpec[] = [...COMMON_FLAGS, ...spec.flags];
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const f of flags) options[f.name] = { type: f.metavar === undefined ? 'boolean' : 'string' };

  // strict: false so that every mistake gets our own message below, not Node's generic one.
  const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  const fail = (error: string): ArgsError => ({ command: 'error', error, usage: commandUsage(spec) });

  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return { command: 'help', text: commandHelp(spec) };

  const values = new Map<string, string | true>();
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'positional') positionals.push(t.value);
    if (t.kind !== 'option') continue;
    const flag = flags.find((f) => f.name === t.name);
    if (!flag) return fail(`unknown option ${t.rawName} for '${spec.name}'`);
    if (flag.metavar === undefined) {
      if (t.inlineValue) return fail(`${t.rawName} takes no value`);
      values.set(flag.name, true);
      continue;
    }
    // Non-strict parseArgs takes the next word even when it is another option: `--config --json`.
    if (t.value === undefined || (!t.inlineValue && /^-[A-Za-z-]/.test(t.value))) {
      return fail(`${t.rawName} needs a value (${flag.metavar})`);
    }
    values.set(flag.name, t.value); // the last one wins, as with environment variables
  }

  const required = spec.positionals.filter((p) => !p.optional);
  if (positionals.length < required.length) {
    return fail(`missing <${required[positionals.length]?.name ?? ''}>`);
  }
  if (positionals.length > spec.positionals.length && !spec.positionals.at(-1)?.variadic) {
    return fail(`unexpected argument '${positionals[spec.positionals.length] ?? ''}'`);
  }

  const str = (name: string): string | undefined => {
    const v = values.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const overrides: ConfigOverrides = {};
  for (const o of OVERRIDES) {
    const v = str(o.flag);
    if (v !== undefined) overrides[o.key] = v;
  }
  const configFile = str('config');
  if (configFile === '') return fail('--config needs a file name');
  const base: ConfigArgs = configFile === undefined ? { overrides } : { configFile, overrides };

  switch (spec.name) {
    case 'serve':
    case 'check':
      return { command: spec.name, ...base };
    case 'render': {
      const [macText = '', file = ''] = positionals;
      const mac = parseMac(macText);
      if (!mac) return fail(`not a MAC address: '${macText}'`);
      if (file === '') return fail('<file> must not be empty');
      return values.get('resolve-ips') === true ? { command: 'render', mac, file, resolveIps: true, ...base } : { command: 'render', mac, file, ...base };
    }
    case 'import': {
      const [csv = ''] = positionals;
      if (csv === '') return fail('<devices.csv> must not be empty');
      const out = str('out');
      if (out === '') return fail('--out needs a file name');
      return out === undefined ? { command: 'import', csv, ...base } : { command: 'import', csv, out, ...base };
    }
    case 'ledger': {
      const macText = str('mac');
      const mac = macText === undefined ? undefined : parseMac(macText);
      if (macText !== undefined && !mac) return fail(`--mac: not a MAC address: '${macText}'`);
      const sinceText = str('since');
      const since = sinceText === undefined ? undefined : parseIsoTime(sinceText);
      if (sinceText !== undefined && since === undefined) {
        return fail(`--since: not an ISO date or time: '${sinceText}' (e.g. 2024-05-01 or 2024-05-01T08:00:00Z)`);
      }
      const limitText = str('limit');
      const limit = limitText === undefined ? undefined : wholeNumber(limitText, 1, LIMIT_MAX);
      if (limitText !== undefined && limit === undefined) {
        return fail(`--limit: expected a whole number from 1 to ${LIMIT_MAX}, got '${limitText}'`);
      }
      return {
        command: 'ledger', json: values.has('json'), ...base,
        ...(mac && { mac }), ...(since !== undefined && { since }), ...(limit !== undefined && { limit }),
      };
    }
    case 'hash-password':
      return { command: 'hash-password' };
    case 'backup': {
      const out = str('out');
      if (out === undefined || out === '') return fail('--out FILE is required (where to write the copy)');
      return { command: 'backup', out, ...base };
    }
    case 'status': {
      const [macText] = positionals;
      const mac = macText === undefined ? undefined : parseMac(macText);
      if (macText !== undefined && !mac) return fail(`not a MAC address: '${macText}'`);
      return { command: 'status', json: values.has('json'), ...base, ...(mac && { mac }) };
    }
    case 'logs': {
      const [macText] = positionals;
      const mac = macText === undefined ? undefined : parseMac(macText);
      if (macText !== undefined && !mac) return fail(`not a MAC address: '${macText}'`);
      const summary = values.has('summary');
      const unattributed = values.has('unattributed');
      if ([mac !== undefined, summary, unattributed].filter(Boolean).length !== 1) {
        return fail('give a device MAC, --unattributed, or --summary for every device (one of them)');
      }
      if (summary && values.has('follow')) return fail('--follow needs a device MAC, not --summary');
      const linesText = str('lines');
      const lines = linesText === undefined ? 100 : wholeNumber(linesText, 0, LIMIT_MAX);
      if (lines === undefined) return fail(`--lines: expected a whole number from 0 to ${LIMIT_MAX}, got '${linesText ?? ''}'`);
      return { command: 'logs', unattributed, follow: values.has('follow'), summary, lines, json: values.has('json'), ...base, ...(mac && { mac }) };
    }
    case 'dhcp': {
      const [action] = positionals;
      if (action !== 'snippet') return fail(`unknown dhcp action '${action ?? ''}' (expected: snippet)`);
      const target = str('for');
      if (target === undefined) return fail(`--for is required (${SNIPPET_TARGETS.join(', ')})`);
      if (!(SNIPPET_TARGETS as readonly string[]).includes(target)) return fail(`--for: unknown server '${target}' (expected one of ${SNIPPET_TARGETS.join(', ')})`);
      return { command: 'dhcp', action: 'snippet', target: target as SnippetTarget, ...base };
    }
    case 'resync': {
      const parsed = parseResyncArgs(positionals, { has: (n) => values.has(n), str });
      if (!parsed.ok) return fail(parsed.error);
      return { command: 'resync', resync: parsed.args, json: values.has('json'), ...base };
    }
  }
}

function wholeNumber(text: string, min: number, max: number): number | undefined {
  if (!/^\d{1,9}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}

function commandUsage(spec: CommandSpec): string {
  return `Usage: ${usageLine(spec)}\nRun 'provd help ${spec.name}' for its options.`;
}

function topError(error: string): ArgsError {
  return {
    command: 'error',
    error,
    usage: `Usage: provd <command> [arguments] [options]\nCommands: ${COMMANDS.map((c) => c.name).join(', ')}\nRun 'provd --help' for details.`,
  };
}
