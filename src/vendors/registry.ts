/** All vendor modules, looked up by id, model or User-Agent. */
import type { Mac } from '../core/mac.js';
import type { ModelInfo, UserAgentInfo, VendorModule } from './types.js';

export interface ModelMatch {
  readonly vendor: VendorModule;
  readonly model: ModelInfo;
}

export class VendorRegistry {
  readonly #byId: ReadonlyMap<string, VendorModule>;
  readonly #all: readonly VendorModule[];
  readonly #byOui: ReadonlyMap<string, VendorModule>;

  constructor(modules: readonly VendorModule[]) {
    this.#byId = new Map(modules.map((m) => [m.id, m]));
    this.#all = [...this.#byId.values()];
    this.#byOui = new Map(this.#all.flatMap((m) => m.ouis.map((oui) => [oui, m] as const)));
  }

  /** The vendor module with this id (`yealink`), case-insensitively. */
  get(id: string): VendorModule | undefined {
    return this.#byId.get(id.toLowerCase());
  }

  all(): readonly VendorModule[] {
    return this.#all;
  }

  /** Every vendor model this name or alias denotes (more than one means `vendor` must be given). */
  modelsNamed(name: string): readonly ModelMatch[] {
    const found: ModelMatch[] = [];
    for (const vendor of this.#byId.values()) {
      const model = vendor.findModel(name);
      if (model) found.push({ vendor, model });
    }
    return found;
  }

  /** The first vendor that recognises this User-Agent. */
  parseUserAgent(userAgent: string): UserAgentInfo | undefined {
    for (const vendor of this.#byId.values()) {
      const info = vendor.parseUserAgent(userAgent);
      if (info) return info;
    }
    return undefined;
  }

  /** The vendor whose OUI list holds this MAC's prefix (a guess: OUIs are sold and reused). */
  byMac(mac: Mac): VendorModule | undefined {
    return this.#byOui.get(mac.slice(0, 6));
  }
}
