/**
 * The inventory as the daemon accepts it: `loadInventory`'s validation plus each vendor's check of
 * the template variables its devices set, so a bad value is an inventory error with the device's
 * place, not a broken phone file.
 */
import type { VendorRegistry } from '../vendors/registry.js';
import { loadInventory } from './load.js';
import type { LoadResult } from './loaded.js';
import type { InventoryProblem } from './types.js';

export async function loadCheckedInventory(path: string, registry: VendorRegistry): Promise<LoadResult> {
  const loaded = await loadInventory(path, registry);
  if (!loaded.ok) return loaded;
  const problems: InventoryProblem[] = [];
  for (const device of loaded.inventory.devices.values()) {
    const vendor = registry.get(device.vendor);
    for (const message of vendor?.varProblems(device.vars) ?? []) {
      problems.push({ file: device.source.file, line: device.source.line, severity: 'error', message: `device ${device.mac}: ${message}` });
    }
  }
  return problems.length > 0 ? { ok: false, problems } : loaded;
}
