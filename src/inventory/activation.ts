/**
 * Yealink activation codes and PIN files (vendors.md §2.4) from the inventory's `activation` list
 * and `pins` mapping. Activation folders become per-folder credentials in the access policy, so
 * each folder answers only to its own user and password; a PIN file lives in one of those folders.
 */
import type { InventoryFolder } from '../core/policy.js';
import type { VendorRegistry } from '../vendors/registry.js';
import type { VendorModule } from '../vendors/types.js';
import { resolveAccounts } from './accounts.js';
import { issuesToProblems } from './issues.js';
import { deepFreeze, mergeVars } from './merge.js';
import { lookupModel } from './models.js';
import { activationSchema, pinNameSchema, pinSchema } from './schema.js';
import type { FileSections, NamedParts } from './sections.js';
import type { ActivationCode, InventoryProblem, PinFile, SourceRef } from './types.js';
import type { YamlFile, YamlPath } from './yaml-file.js';

/** `static.autoprovision.X` runs from 1 to 50 on the phone. */
export const MAX_ACTIVATION_CODES = 50;

function error(yaml: YamlFile, path: YamlPath, message: string, key?: string): InventoryProblem {
  return { file: yaml.file, ...yaml.position(path, key), message, severity: 'error' };
}

const at = (yaml: YamlFile, path: YamlPath, key?: string): SourceRef => ({ file: yaml.file, line: yaml.position(path, key).line });

/** Every activation entry of every file, numbered in file order. */
export function resolveActivation(files: readonly FileSections[], problems: InventoryProblem[]): ActivationCode[] {
  const out: ActivationCode[] = [];
  const folders = new Map<string, SourceRef>();
  const codes = new Map<string, SourceRef>();
  let index = 0;
  for (const { yaml, activation } of files) {
    activation.forEach((raw, i) => {
      const path = ['activation', i];
      index++;
      const parsed = activationSchema.safeParse(raw);
      if (!parsed.success) {
        problems.push(...issuesToProblems(yaml, path, parsed.error.issues));
        return;
      }
      const a = parsed.data;
      const here = at(yaml, path);
      if (index > MAX_ACTIVATION_CODES) {
        problems.push(error(yaml, path, `activation code ${index} is above the ${MAX_ACTIVATION_CODES} a Yealink phone holds`));
        return;
      }
      const folderKey = a.folder.toLowerCase();
      const firstFolder = folders.get(folderKey);
      const firstCode = codes.get(a.code);
      if (firstFolder) {
        problems.push(error(yaml, [...path, 'folder'], `activation folder "${a.folder}" is used twice: ${firstFolder.file}:${firstFolder.line} and ${here.file}:${here.line}`));
      }
      if (firstCode) {
        problems.push(error(yaml, [...path, 'code'], `activation code "${a.code}" is used twice: ${firstCode.file}:${firstCode.line} and ${here.file}:${here.line}`));
      }
      if (firstFolder || firstCode) return;
      folders.set(folderKey, here);
      codes.set(a.code, here);
      out.push({
        index,
        name: a.name,
        code: a.code,
        folder: a.folder.split('/'),
        user: a.user,
        password: a.password,
        send_credentials: a.send_credentials ?? false,
        source: here,
      });
    });
  }
  return out;
}

/** Each activation folder with its one user, for the access policy (the daemon refreshes them per reload). */
export function activationFolders(codes: readonly ActivationCode[] | undefined): InventoryFolder[] {
  return (codes ?? []).map((a) => ({ folder: a.folder, users: [{ user: a.user, password: a.password }] }));
}

/** The vendor a PIN entry belongs to: its model's, else the one vendor that makes PIN files. */
function pinVendor(registry: VendorRegistry, vendor: string | undefined, model: string | undefined): { vendor: VendorModule; model?: string } | string {
  if (model !== undefined) {
    const found = lookupModel(registry, vendor, model);
    return found.ok ? { vendor: found.vendor, model: found.model.name } : found.message;
  }
  const makers = registry.all().filter((v) => v.pinFiles !== undefined);
  if (vendor !== undefined) {
    const v = registry.get(vendor);
    return v ? { vendor: v } : `unknown vendor "${vendor}" (known: ${registry.all().map((m) => m.id).join(', ')})`;
  }
  const [only] = makers;
  return makers.length === 1 && only ? { vendor: only } : 'add "vendor:" (or "model:")';
}

/** Every PIN entry, checked against the activation folders and the profiles. */
export function resolvePins(
  files: readonly FileSections[],
  parts: NamedParts,
  registry: VendorRegistry,
  activation: readonly ActivationCode[],
  problems: InventoryProblem[],
): Map<string, PinFile> {
  const out = new Map<string, PinFile>();
  const seen = new Map<string, SourceRef>();
  // Exact case: the policy guards folders case-sensitively, so "Act/Sales" would be unguarded.
  const folders = new Set(activation.map((a) => a.folder.join('/')));
  // An activation entry that is itself in error still names its folder: no follow-on error here.
  for (const { activation: raw } of files) {
    for (const entry of raw) {
      const folder: unknown = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>)['folder'] : undefined;
      if (typeof folder === 'string') folders.add(folder);
    }
  }
  for (const { yaml, pins } of files) {
    for (const [pin, raw] of pins) {
      const path = ['pins', pin];
      const here = at(yaml, ['pins'], pin);
      const before = problems.length;
      const name = pinNameSchema.safeParse(pin);
      if (!name.success) problems.push(error(yaml, ['pins'], `bad PIN "${pin}": ${name.error.issues[0]?.message ?? ''}`, pin));
      // The phone's request is looked up without regard to case, so A31 and a31 are one file.
      const first = seen.get(pin.toLowerCase());
      if (first) problems.push(error(yaml, ['pins'], `PIN "${pin}" is defined twice: ${first.file}:${first.line} and ${here.file}:${here.line}`, pin));
      seen.set(pin.toLowerCase(), here);
      const parsed = pinSchema.safeParse(raw ?? {});
      if (!parsed.success) {
        problems.push(...issuesToProblems(yaml, path, parsed.error.issues));
        continue;
      }
      const p = parsed.data;
      const label = `PIN ${pin}`;
      if (!folders.has(p.folder)) {
        const known = [...folders].join(', ') || 'none';
        problems.push(error(yaml, [...path, 'folder'], `${label}: folder "${p.folder}" is not an activation folder (known: ${known})`));
      }
      const vendor = pinVendor(registry, p.vendor, p.model);
      if (typeof vendor === 'string') problems.push(error(yaml, [...path, p.model !== undefined ? 'model' : 'vendor'], `${label}: ${vendor}`));
      else if (!vendor.vendor.pinFiles) {
        problems.push(error(yaml, path, `${label}: ${vendor.vendor.displayName} phones do not fetch PIN files`));
      }
      const profile = p.profile !== undefined ? parts.profiles.get(p.profile) : undefined;
      if (p.profile !== undefined && !profile) problems.push(error(yaml, [...path, 'profile'], `${label}: unknown profile "${p.profile}"`));
      // Without its profile's account defaults the account checks would only add noise.
      if (p.profile !== undefined && !profile?.input) continue;
      const model = typeof vendor === 'string' ? undefined : vendor.vendor.models.find((m) => m.name === vendor.model);
      const accounts = resolveAccounts(
        {
          yaml,
          devicePath: path,
          deviceName: label,
          modelLabel: model && typeof vendor !== 'string' ? `${vendor.vendor.displayName} ${model.name}` : 'phone',
          maxLines: model?.accounts ?? Number.POSITIVE_INFINITY,
          profileName: p.profile,
          profileAccount: profile?.input?.account,
          problems,
        },
        p.accounts ?? [],
      );
      if (typeof vendor === 'string' || accounts === undefined || problems.length > before) continue;
      out.set(
        pin,
        deepFreeze({
          pin,
          vendor: vendor.vendor.id,
          ...(vendor.model !== undefined ? { model: vendor.model } : {}),
          folder: p.folder.split('/'),
          ...(p.profile !== undefined ? { profile: p.profile } : {}),
          accounts,
          vars: mergeVars(parts.defaults, profile?.input?.vars, p.vars),
          source: here,
        }),
      );
    }
  }
  return out;
}
