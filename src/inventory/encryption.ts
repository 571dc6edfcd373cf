/**
 * A device's `encryption`: the profile's settings under the device's own, checked against the
 * format the device's vendor reads. Key problems are reported where the key is written (the
 * device or its profile), naming the device, so `check` points at the line to fix.
 */
import { encryptionFormat } from '../render/crypto/formats.js';
import type { VendorModule } from '../vendors/types.js';
import type { EncryptionInput } from './schema.js';
import type { InventoryProblem, ResolvedEncryption } from './types.js';
import type { YamlFile, YamlPath } from './yaml-file.js';

/** Where one layer of settings sits: its file and the path of its `encryption` mapping. */
export interface EncryptionLayer {
  readonly input: EncryptionInput | undefined;
  readonly yaml: YamlFile;
  readonly path: YamlPath;
}

export interface EncryptionContext {
  readonly deviceName: string;
  readonly vendor: VendorModule;
  readonly profile: EncryptionLayer | undefined;
  readonly device: EncryptionLayer;
  readonly problems: InventoryProblem[];
}

type KeyField = 'key' | 'mac_key';

/**
 * The resolved setting, `null` when the device has no encryption, or undefined when it is in
 * error (problems pushed).
 */
export function resolveEncryption(ctx: EncryptionContext): ResolvedEncryption | null | undefined {
  const layers = [ctx.profile, ctx.device].filter((l): l is EncryptionLayer => l?.input !== undefined);
  if (layers.length === 0) return null;
  const last = <K extends keyof EncryptionInput>(field: K): { value: EncryptionInput[K]; layer: EncryptionLayer } | undefined => {
    for (let i = layers.length - 1; i >= 0; i--) {
      const layer = layers[i];
      if (layer?.input?.[field] !== undefined) return { value: layer.input[field], layer };
    }
    return undefined;
  };
  if (last('enabled')?.value === false) return null;

  const at = layers[layers.length - 1] as EncryptionLayer;
  const problem = (layer: EncryptionLayer, field: string | undefined, message: string): void => {
    const position = field === undefined ? layer.yaml.position(layer.path) : layer.yaml.position([...layer.path, field]);
    ctx.problems.push({ file: layer.yaml.file, ...position, message: `device ${ctx.deviceName}: ${message}`, severity: 'error' });
  };

  const support = ctx.vendor.encryption;
  if (!support) {
    problem(at, undefined, `encryption is set but provd cannot encrypt ${ctx.vendor.displayName} configs`);
    return undefined;
  }
  const format = encryptionFormat(support.format);
  const keys: Partial<Record<KeyField, string>> = {};
  let ok = true;
  for (const field of ['key', 'mac_key'] as const) {
    const found = last(field);
    if (found?.value === undefined) continue;
    const issues = format.keyProblems(found.value);
    for (const issue of issues) problem(found.layer, field, `encryption.${field} ${issue}`);
    if (issues.length > 0) ok = false;
    keys[field] = found.value;
  }
  if (keys.key === undefined) {
    problem(at, undefined, 'encryption needs a key (set encryption.key on the device or its profile)');
    return undefined;
  }
  if (!ok) return undefined;
  return {
    key: keys.key,
    ...(keys.mac_key !== undefined ? { mac_key: keys.mac_key } : {}),
    key_in_file: last('key_in_file')?.value ?? true,
  };
}
