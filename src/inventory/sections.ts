/**
 * The named parts of an inventory (defaults, sites, profiles) gathered from every file, with
 * names defined twice reported at both places.
 */
import type { VendorRegistry } from '../vendors/registry.js';
import { issuesToProblems } from './issues.js';
import { lookupModel } from './models.js';
import type { MatchRule } from './profiles.js';
import { fileSchema, nameSchema, profileSchema, siteSchema } from './schema.js';
import type { ProfileInput, SiteInput } from './schema.js';
import type { InventoryProblem, ResolvedProfile, ResolvedSite, SourceRef } from './types.js';
import type { YamlFile, YamlPath } from './yaml-file.js';

/** A file's top-level sections after the shape check (items not yet validated). */
export interface FileSections {
  readonly yaml: YamlFile;
  readonly defaults: Readonly<Record<string, unknown>> | undefined;
  readonly sites: readonly (readonly [string, unknown])[];
  readonly profiles: readonly (readonly [string, unknown])[];
  readonly devices: readonly unknown[];
  /** Yealink activation codes and PIN files (inventory/activation.ts). */
  readonly activation: readonly unknown[];
  readonly pins: readonly (readonly [string, unknown])[];
}

/** A name's definition; `input` is undefined when the definition itself is invalid. */
export interface Defined<T> {
  readonly input: T | undefined;
  readonly yaml: YamlFile;
  readonly source: SourceRef;
}

export interface NamedParts {
  readonly defaults: Record<string, unknown>;
  readonly sites: Map<string, Defined<SiteInput>>;
  readonly profiles: Map<string, Defined<ProfileInput>>;
  readonly rules: MatchRule[];
}

function error(yaml: YamlFile, path: YamlPath, message: string, key?: string): InventoryProblem {
  return { file: yaml.file, ...yaml.position(path, key), message, severity: 'error' };
}

const entries = (record: Readonly<Record<string, unknown>> | null | undefined): [string, unknown][] =>
  record ? Object.entries(record) : [];

/** Checks a file's top level. Sections that are fine on their own are kept even if another is not. */
export function fileSections(yaml: YamlFile, problems: InventoryProblem[]): FileSections | undefined {
  if (yaml.problems.some((p) => p.severity === 'error')) return undefined;
  if (yaml.data === undefined || yaml.data === null) {
    problems.push({ file: yaml.file, line: 1, column: 1, message: 'file is empty', severity: 'warning' });
    return { yaml, defaults: undefined, sites: [], profiles: [], devices: [], activation: [], pins: [] };
  }
  const top = fileSchema.safeParse(yaml.data);
  if (top.success) {
    const d = top.data;
    return {
      yaml,
      defaults: d.defaults?.vars ?? undefined,
      sites: entries(d.sites),
      profiles: entries(d.profiles),
      devices: d.devices ?? [],
      activation: d.activation ?? [],
      pins: entries(d.pins),
    };
  }
  problems.push(...issuesToProblems(yaml, [], top.error.issues));
  if (typeof yaml.data !== 'object' || Array.isArray(yaml.data)) return undefined;
  const raw = yaml.data as Record<string, unknown>;
  const defaults = fileSchema.shape.defaults.safeParse(raw['defaults']);
  const sites = fileSchema.shape.sites.safeParse(raw['sites']);
  const profiles = fileSchema.shape.profiles.safeParse(raw['profiles']);
  const devices = fileSchema.shape.devices.safeParse(raw['devices']);
  const activation = fileSchema.shape.activation.safeParse(raw['activation']);
  const pins = fileSchema.shape.pins.safeParse(raw['pins']);
  return {
    yaml,
    defaults: defaults.success ? (defaults.data?.vars ?? undefined) : undefined,
    sites: sites.success ? entries(sites.data) : [],
    profiles: profiles.success ? entries(profiles.data) : [],
    devices: devices.success ? (devices.data ?? []) : [],
    activation: activation.success ? (activation.data ?? []) : [],
    pins: pins.success ? entries(pins.data) : [],
  };
}

/** Validates one named item; registers it (valid or not) and reports a second definition. */
function define<T>(
  map: Map<string, Defined<T>>,
  kind: string,
  yaml: YamlFile,
  section: string,
  name: string,
  raw: unknown,
  parse: (raw: unknown) => { success: true; data: T } | { success: false; error: { issues: Parameters<typeof issuesToProblems>[2] } },
  problems: InventoryProblem[],
): void {
  const pos = yaml.position([section], name);
  const source: SourceRef = { file: yaml.file, line: pos.line };
  const first = map.get(name);
  if (first) {
    problems.push(
      error(yaml, [section], `${kind} "${name}" is defined twice: ${first.source.file}:${first.source.line} and ${yaml.file}:${pos.line}`, name),
    );
    return;
  }
  let input: T | undefined;
  const okName = nameSchema.safeParse(name);
  if (!okName.success) {
    problems.push(error(yaml, [section], `bad ${kind} name "${name}": ${okName.error.issues[0]?.message ?? ''}`, name));
  }
  const parsed = parse(raw ?? {});
  if (parsed.success) input = okName.success ? parsed.data : undefined;
  else problems.push(...issuesToProblems(yaml, [section, name], parsed.error.issues));
  map.set(name, { input, yaml, source });
}

/** A profile's `match`, with vendor and model checked and made canonical. */
function matchRule(
  registry: VendorRegistry,
  name: string,
  def: Defined<ProfileInput>,
  sites: ReadonlyMap<string, unknown>,
  problems: InventoryProblem[],
): MatchRule | undefined {
  const match = def.input?.match;
  if (!match) return undefined;
  const path = ['profiles', name, 'match'];
  let ok = true;
  let vendor: string | undefined;
  let model: string | undefined;
  if (match.model !== undefined) {
    const found = lookupModel(registry, match.vendor, match.model);
    if (found.ok) {
      vendor = match.vendor !== undefined ? found.vendor.id : undefined;
      model = found.model.name;
    } else {
      const unknownVendor = match.vendor !== undefined && registry.get(match.vendor) === undefined;
      problems.push(error(def.yaml, [...path, unknownVendor ? 'vendor' : 'model'], `profile "${name}" match: ${found.message}`));
      ok = false;
    }
  } else if (match.vendor !== undefined) {
    const v = registry.get(match.vendor);
    if (v) vendor = v.id;
    else {
      const known = registry.all().map((m) => m.id).join(', ');
      problems.push(error(def.yaml, [...path, 'vendor'], `profile "${name}" match: unknown vendor "${match.vendor}" (known: ${known})`));
      ok = false;
    }
  }
  if (match.site !== undefined && !sites.has(match.site)) {
    problems.push(error(def.yaml, [...path, 'site'], `profile "${name}" match: unknown site "${match.site}"`));
    ok = false;
  }
  if (!ok) return undefined;
  return {
    profile: name,
    ...(vendor !== undefined ? { vendor } : {}),
    ...(model !== undefined ? { model } : {}),
    ...(match.site !== undefined ? { site: match.site } : {}),
    ...(match.labels !== undefined ? { labels: match.labels } : {}),
  };
}

/** Gathers defaults, sites and profiles from all files, in file order then position. */
export function namedParts(files: readonly FileSections[], registry: VendorRegistry, problems: InventoryProblem[]): NamedParts {
  const defaults: Record<string, unknown> = {};
  const defaultsAt = new Map<string, SourceRef>();
  const sites = new Map<string, Defined<SiteInput>>();
  const profiles = new Map<string, Defined<ProfileInput>>();
  for (const f of files) {
    for (const [key, value] of entries(f.defaults)) {
      const pos = f.yaml.position(['defaults', 'vars'], key);
      const first = defaultsAt.get(key);
      if (first) {
        problems.push(
          error(f.yaml, ['defaults', 'vars'], `default variable "${key}" is defined twice: ${first.file}:${first.line} and ${f.yaml.file}:${pos.line}`, key),
        );
        continue;
      }
      defaultsAt.set(key, { file: f.yaml.file, line: pos.line });
      defaults[key] = value;
    }
    for (const [name, raw] of f.sites) define(sites, 'site', f.yaml, 'sites', name, raw, (r) => siteSchema.safeParse(r), problems);
    for (const [name, raw] of f.profiles) {
      define(profiles, 'profile', f.yaml, 'profiles', name, raw, (r) => profileSchema.safeParse(r), problems);
    }
  }
  const rules: MatchRule[] = [];
  for (const [name, def] of profiles) {
    const rule = matchRule(registry, name, def, sites, problems);
    if (rule) rules.push(rule);
  }
  return { defaults, sites, profiles, rules };
}

/** The public views of sites and profiles (valid ones only; a load with invalid ones fails anyway). */
export function resolvedNamed(parts: NamedParts): {
  sites: Map<string, ResolvedSite>;
  profiles: Map<string, ResolvedProfile>;
} {
  const sites = new Map<string, ResolvedSite>();
  for (const [name, def] of parts.sites) {
    const d = def.input?.description;
    sites.set(name, Object.freeze({ name, ...(d !== undefined ? { description: d } : {}), source: def.source }));
  }
  const profiles = new Map<string, ResolvedProfile>();
  for (const [name, def] of parts.profiles) {
    const d = def.input?.description;
    profiles.set(name, Object.freeze({ name, ...(d !== undefined ? { description: d } : {}), source: def.source }));
  }
  return { sites, profiles };
}
