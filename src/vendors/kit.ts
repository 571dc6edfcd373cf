/**
 * Small pieces the data-driven vendor modules (Cisco, Fanvil, Snom, Htek) share: model tables
 * looked up by any spelling, MAC parsing for file names, the per-line view templates loop over,
 * and the daemon's base URL per scheme. Pure functions, no state.
 */
import { isZeroMac, parseMac, type Mac } from '../core/mac.js';
import type { HostPort, ResolvedAccount, ResolvedDevice } from '../inventory/types.js';
import type { ServerInfo } from '../render/context.js';
import type { ModelInfo, ProvisioningScheme } from './types.js';

export const XML_TYPE = 'text/xml; charset=utf-8';

/** A finder over a model table: canonical names and aliases, case-insensitive, blanks trimmed. */
export function modelFinder<T extends ModelInfo>(models: readonly T[]): (name: string) => T | undefined {
  const byKey = new Map<string, T>();
  for (const model of models) {
    for (const key of [model.name, ...model.aliases]) byKey.set(key.toLowerCase(), model);
  }
  return (name) => byKey.get(name.trim().toLowerCase());
}

/** The MAC 12 hex digits (either case) denote; undefined for all-zero, which no phone has. */
export function macOfHex(hex: string | undefined): Mac | undefined {
  if (hex === undefined) return undefined;
  const mac = parseMac(hex);
  return mac && !isZeroMac(mac) ? mac : undefined;
}

/** `macInName` for a family whose per-device file names carry the MAC in the first group of `name`. */
export function macInNameBy(name: RegExp): (basename: string) => Mac | undefined {
  return (basename) => macOfHex(name.exec(basename)?.[1]);
}

/** The daemon's root URL for `scheme` without the trailing slash, or undefined when not served. */
export function baseUrl(server: ServerInfo, scheme: ProvisioningScheme): string | undefined {
  const base = server[`${scheme}_url`];
  return base === null ? undefined : base.replace(/\/+$/, '');
}

/** The served root over `scheme`, for phones that compose their own file names. */
export function rootUrl(server: ServerInfo, scheme: ProvisioningScheme): string | undefined {
  const base = baseUrl(server, scheme);
  return base === undefined ? undefined : `${base}/`;
}

/** Account fields every vendor's file needs; an empty one would register nowhere or as nobody. */
const REQUIRED_FIELDS: readonly (readonly [string, (a: ResolvedAccount) => string])[] = [
  ['user', (a) => a.user],
  ['auth_id', (a) => a.auth_id],
  ['password', (a) => a.password],
  ['registrar', (a) => a.registrar.host],
];

/** One line key of a phone: its number and the account on it, or null when the line is unused. */
export interface LineSlot {
  readonly n: number;
  readonly account: ResolvedAccount | null;
}

/**
 * Every line 1..model.accounts with its account. An account above the model's line count, or
 * with an empty user, auth_id, password or registrar, is an error naming the device (and field):
 * the inventory loader rejects both first, so reaching this means a device built another way,
 * and a file silently missing a line or holding a blank password would hide that.
 */
export function lineSlots(device: ResolvedDevice, model: ModelInfo): LineSlot[] {
  const byLine = new Map(device.accounts.map((a) => [a.line, a] as const));
  for (const a of device.accounts) {
    if (a.line > model.accounts) {
      throw new Error(`device ${device.mac}: account line ${a.line} is above the ${model.accounts} account lines a ${model.name} has`);
    }
    const empty = REQUIRED_FIELDS.find(([, value]) => value(a).trim() === '');
    if (empty) throw new Error(`device ${device.mac}: account line ${a.line} has an empty ${empty[0]}`);
  }
  const slots: LineSlot[] = [];
  for (let n = 1; n <= model.accounts; n++) slots.push({ n, account: byLine.get(n) ?? null });
  return slots;
}

/** The model of a device, or an error naming the device and the vendor's known models. */
export function requireModel<T extends ModelInfo>(device: ResolvedDevice, find: (name: string) => T | undefined, vendor: string, models: readonly T[]): T {
  const model = find(device.model);
  if (!model) {
    throw new Error(`device ${device.mac}: ${device.model} is not a ${vendor} model (known: ${models.map((m) => m.name).join(', ')})`);
  }
  return model;
}

/** `host` or `host:port`; the vendor's default port for the transport when none is given. */
export function hostWithPort(host: { readonly host: string; readonly port?: number }, transport: string): string {
  if (host.port !== undefined) return `${host.host}:${host.port}`;
  if (transport === 'dns-srv') return host.host;
  return `${host.host}:${transport === 'tls' ? 5061 : 5060}`;
}

/**
 * Where an account sends to, as one `host[:port]` value: with DNS SRV/NAPTR on, a default port
 * would turn the lookup into a plain A record, so only a port the admin gave is written.
 */
export function sipTarget(h: HostPort, account: Pick<ResolvedAccount, 'transport' | 'dns_mode'>): string {
  const srv = account.transport === 'dns-srv' || account.dns_mode !== 'a';
  return srv ? h.text : hostWithPort(h, account.transport);
}

/** The port of `host`, else the SIP default for the transport (RFC 3261 §19.1.2: 5060, TLS 5061). */
export function portOf(host: { readonly port?: number }, transport: string): number {
  return host.port ?? (transport === 'tls' ? 5061 : 5060);
}

/** A check of one template variable: undefined when fine, else what is wrong. */
export type VarCheck = (value: unknown) => string | undefined;

export const checkText: VarCheck = (v) =>
  typeof v === 'string' && v.trim() !== '' && !/[\r\n\0]/.test(v) ? undefined : 'must be a one-line, non-empty string';
export const checkUrl: VarCheck = (v) =>
  checkText(v) ?? (/^(?:tftp|ftp|ftps|http|https):\/\/\S+$/i.test(v as string) ? undefined : 'must be a tftp/ftp/http(s) URL without spaces');
export const checkSeconds: VarCheck = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 2_592_000 ? undefined : 'must be a whole number of seconds (0-2592000)';

/** `varProblems` for a vendor from its table of checks: one message per bad, set variable. */
export function varChecker(checks: Readonly<Record<string, VarCheck>>): (vars: Readonly<Record<string, unknown>>) => string[] {
  return (vars) => {
    const problems: string[] = [];
    for (const [name, check] of Object.entries(checks)) {
      if (!Object.hasOwn(vars, name) || vars[name] === undefined) continue;
      const problem = check(vars[name]);
      if (problem) problems.push(`${name} ${problem}, got ${JSON.stringify(vars[name])}`);
    }
    return problems;
  };
}

/**
 * Runs a device-file builder that may find the device's data unusable; the message then goes on
 * the file specs (`FileSpec.error`) so those files answer not_found with it instead of failing
 * the whole device or rendering half a file.
 */
export function attempt<T>(build: () => T): { readonly value: T; readonly error?: undefined } | { readonly value?: undefined; readonly error: string } {
  try {
    return { value: build() };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** `{ error }` when the attempt failed, else nothing: spread into a FileSpec. */
export function errorOf(result: { readonly error?: string }): { readonly error?: string } {
  return result.error === undefined ? {} : { error: result.error };
}
