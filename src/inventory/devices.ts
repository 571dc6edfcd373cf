/** Device entries: validated one by one, checked against the registry and named parts, resolved. */
import { macColons, parseMac } from '../core/mac.js';
import type { Mac } from '../core/mac.js';
import type { VendorRegistry } from '../vendors/registry.js';
import { resolveAccounts } from './accounts.js';
import { issuesToProblems } from './issues.js';
import { resolveEncryption } from './encryption.js';
import { deepFreeze, mergeVars } from './merge.js';
import { lookupModel } from './models.js';
import { ProfileSelector } from './profiles.js';
import { deviceSchema } from './schema.js';
import type { FileSections, NamedParts } from './sections.js';
import type { InventoryProblem, ResolvedDevice, SourceRef } from './types.js';
import type { YamlFile, YamlPath } from './yaml-file.js';

function error(yaml: YamlFile, path: YamlPath, message: string): InventoryProblem {
  return { file: yaml.file, ...yaml.position(path), message, severity: 'error' };
}

/** The MAC of an entry that failed validation, so duplicates are still reported. */
function rawMac(raw: unknown): Mac | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const mac: unknown = (raw as Record<string, unknown>)['mac'];
  return typeof mac === 'string' ? parseMac(mac) : undefined;
}

/**
 * Resolves every device of every file in file order, then position. Problems are pushed to
 * `problems`; a device with any problem is left out of the result (the load fails anyway).
 */
export function resolveDevices(
  files: readonly FileSections[],
  parts: NamedParts,
  registry: VendorRegistry,
  problems: InventoryProblem[],
): Map<Mac, ResolvedDevice> {
  const devices = new Map<Mac, ResolvedDevice>();
  const seen = new Map<Mac, SourceRef>();
  const selector = new ProfileSelector(parts.rules);

  const claimMac = (yaml: YamlFile, path: YamlPath, mac: Mac): boolean => {
    const line = yaml.position(path).line;
    const first = seen.get(mac);
    if (first) {
      problems.push(
        error(yaml, path, `MAC ${macColons(mac)} is defined twice: ${first.file}:${first.line} and ${yaml.file}:${line}`),
      );
      return false;
    }
    seen.set(mac, { file: yaml.file, line });
    return true;
  };

  for (const { yaml, devices: entries } of files) {
    entries.forEach((raw, index) => {
      const path = ['devices', index];
      const parsed = deviceSchema.safeParse(raw);
      if (!parsed.success) {
        problems.push(...issuesToProblems(yaml, path, parsed.error.issues));
        const mac = rawMac(raw);
        if (mac) claimMac(yaml, [...path, 'mac'], mac);
        return;
      }
      const d = parsed.data;
      const before = problems.length;
      const name = macColons(d.mac);
      claimMac(yaml, [...path, 'mac'], d.mac);

      const found = lookupModel(registry, d.vendor, d.model);
      if (!found.ok) {
        const unknownVendor = d.vendor !== undefined && registry.get(d.vendor) === undefined;
        problems.push(error(yaml, [...path, unknownVendor ? 'vendor' : 'model'], `device ${name}: ${found.message}`));
      }
      if (d.site !== undefined && !parts.sites.has(d.site)) {
        problems.push(error(yaml, [...path, 'site'], `device ${name}: unknown site "${d.site}"`));
      }
      if (d.profile !== undefined && !parts.profiles.has(d.profile)) {
        problems.push(error(yaml, [...path, 'profile'], `device ${name}: unknown profile "${d.profile}"`));
      }
      const labels = d.labels ?? [];
      const profileName =
        d.profile ?? (found.ok ? selector.select({ vendor: found.vendor.id, model: found.model.name, site: d.site, labels }) : undefined);
      const profile = profileName !== undefined ? parts.profiles.get(profileName)?.input : undefined;

      // Without its profile's account defaults, missing-field checks would only add noise to the
      // unknown or invalid profile already reported.
      if (profileName !== undefined && profile === undefined) return;
      const accounts = resolveAccounts(
        {
          yaml,
          devicePath: path,
          deviceName: name,
          modelLabel: found.ok ? `${found.vendor.displayName} ${found.model.name}` : d.model,
          maxLines: found.ok ? found.model.accounts : Number.POSITIVE_INFINITY,
          profileName,
          profileAccount: profile?.account,
          problems,
        },
        d.accounts ?? [],
      );
      if (!found.ok || accounts === undefined) return;
      const profileDef = profileName !== undefined ? parts.profiles.get(profileName) : undefined;
      const encryption = resolveEncryption({
        deviceName: name,
        vendor: found.vendor,
        profile: profileDef ? { input: profile?.encryption, yaml: profileDef.yaml, path: ['profiles', profileName ?? '', 'encryption'] } : undefined,
        device: { input: d.encryption, yaml, path: [...path, 'encryption'] },
        problems,
      });
      if (encryption === undefined || problems.length > before) return;
      if (accounts.length === 0) {
        problems.push({ ...error(yaml, path, `device ${name} has no account lines`), severity: 'warning' });
      }

      const site = d.site !== undefined ? parts.sites.get(d.site)?.input : undefined;
      const device: ResolvedDevice = {
        mac: d.mac,
        vendor: found.vendor.id,
        model: found.model.name,
        pn: d.pn ?? found.model.name,
        ...(d.site !== undefined ? { site: d.site } : {}),
        ...(profileName !== undefined ? { profile: profileName } : {}),
        labels,
        accounts,
        vars: mergeVars(parts.defaults, site?.vars, profile?.vars, d.vars),
        ...(d.auth ? { auth: { user: d.auth.user, password: d.auth.password } } : {}),
        ...(encryption ? { encryption } : {}),
        ...(d.ip !== undefined ? { ip: d.ip } : {}),
        source: { file: yaml.file, line: yaml.position(path).line },
      };
      devices.set(d.mac, deepFreeze(device));
    });
  }
  return devices;
}
