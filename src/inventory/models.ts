/** Vendor and model names as admins write them, checked against the vendor registry. */
import type { VendorRegistry } from '../vendors/registry.js';
import type { ModelInfo, VendorModule } from '../vendors/types.js';

export type ModelLookup =
  | { readonly ok: true; readonly vendor: VendorModule; readonly model: ModelInfo }
  | { readonly ok: false; readonly message: string };

function knownVendors(registry: VendorRegistry): string {
  const ids = registry.all().map((v) => v.id);
  return ids.length > 0 ? ids.join(', ') : 'none';
}

/**
 * Finds the vendor and canonical model for a device. Without a vendor the model name must belong
 * to exactly one vendor. Messages list what would have been accepted.
 */
export function lookupModel(registry: VendorRegistry, vendorName: string | undefined, modelName: string): ModelLookup {
  if (vendorName !== undefined) {
    const vendor = registry.get(vendorName);
    if (!vendor) return { ok: false, message: `unknown vendor "${vendorName}" (known: ${knownVendors(registry)})` };
    const model = vendor.findModel(modelName);
    if (!model) {
      const names = vendor.models.map((m) => m.name).join(', ');
      return { ok: false, message: `unknown ${vendor.displayName} model "${modelName}" (known: ${names})` };
    }
    return { ok: true, vendor, model };
  }
  const found = registry.modelsNamed(modelName);
  const [first] = found;
  if (found.length === 1 && first) return { ok: true, vendor: first.vendor, model: first.model };
  if (found.length === 0) {
    return {
      ok: false,
      message: `unknown model "${modelName}": no vendor has a model of that name (known: ${registry
        .all()
        .map((v) => `${v.id}: ${v.models.map((m) => m.name).join(', ')}`)
        .join('; ')})`,
    };
  }
  const vendors = found.map((m) => m.vendor.id).join(', ');
  return { ok: false, message: `model "${modelName}" is made by several vendors (${vendors}): add "vendor:"` };
}
