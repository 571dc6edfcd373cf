/**
 * Every generated file, rendered once per inventory change and served from memory, keyed by
 * name and carrying its MD5. Rendering never sits on the request path; a reload builds a new
 * catalog and swaps it in whole, so a request sees either the old files or the new, never a mix.
 */
import { createHash } from 'node:crypto';
import type { Mac } from '../core/mac.js';
import type { MemoryFile } from '../core/types.js';
import type { Inventory, ResolvedDevice } from '../inventory/types.js';
import type { VendorRegistry } from '../vendors/registry.js';
import type { FileSpec } from '../vendors/types.js';
import { activationVars, deviceContext, pinContext, sharedContext, type ServerInfo } from './context.js';
import { deviceOutputs, type RenderedFile } from './encrypt.js';
import type { TemplateEngine } from './engine.js';

export interface CatalogEntry {
  /** Canonical name, in the vendor's case. */
  readonly name: string;
  readonly vendor: string;
  /** The device this file belongs to; absent for files every phone shares. */
  readonly mac?: Mac;
  /** Carries credentials: the policy serves it only to a request naming the device. */
  readonly secret: boolean;
  /** The rendered bytes, unless rendering failed. */
  readonly file?: MemoryFile;
  /** Why rendering failed (the file then answers not_found with this reason). */
  readonly error?: string;
  /**
   * Served only at this folder (segments), which the access policy guards with its own
   * credentials: PIN files live in their activation folder. Absent: served in any folder.
   */
  readonly folder?: readonly string[];
}

export interface RenderProblem {
  readonly name: string;
  readonly mac?: Mac;
  readonly message: string;
}

export class Catalog {
  readonly #byName: ReadonlyMap<string, CatalogEntry>;
  readonly #byDevice: ReadonlyMap<Mac, readonly CatalogEntry[]>;
  readonly problems: readonly RenderProblem[];
  readonly builtAt: number;

  constructor(entries: readonly CatalogEntry[], problems: readonly RenderProblem[], builtAt: number) {
    const byName = new Map<string, CatalogEntry>();
    const byDevice = new Map<Mac, CatalogEntry[]>();
    for (const entry of entries) {
      byName.set(entry.name.toLowerCase(), entry);
      if (entry.mac) {
        const list = byDevice.get(entry.mac);
        if (list) list.push(entry);
        else byDevice.set(entry.mac, [entry]);
      }
    }
    this.#byName = byName;
    this.#byDevice = byDevice;
    this.problems = problems;
    this.builtAt = builtAt;
  }

  /** The generated file with this name; phones differ in case, so lookup ignores it. */
  lookup(name: string): CatalogEntry | undefined {
    return this.#byName.get(name.toLowerCase());
  }

  /** The files generated for one device, in the vendor's order. */
  deviceEntries(mac: Mac): readonly CatalogEntry[] {
    return this.#byDevice.get(mac) ?? [];
  }

  entries(): IterableIterator<CatalogEntry> {
    return this.#byName.values();
  }

  get size(): number {
    return this.#byName.size;
  }
}

export interface CatalogInput {
  readonly inventory: Inventory;
  readonly registry: VendorRegistry;
  readonly engine: TemplateEngine;
  readonly server: ServerInfo;
  /** The catalog being replaced: unchanged files keep their Buffer and modification time. */
  readonly previous?: Catalog;
  readonly now: number;
}

const YIELD_EVERY = 250;

/**
 * Renders every shared and per-device file. Yields to the event loop every few hundred devices
 * so a reload of a large inventory does not stall transfers in flight.
 */
export async function buildCatalog(input: CatalogInput): Promise<Catalog> {
  const { inventory, registry, engine, server, previous, now } = input;
  const entries: CatalogEntry[] = [];
  const problems: RenderProblem[] = [];
  const taken = new Set<string>();

  const claim = (name: string, mac: Mac | undefined): boolean => {
    const key = name.toLowerCase();
    if (taken.has(key)) {
      problems.push({ name, mac, message: `two generated files are named ${name}; the first one is served` });
      return false;
    }
    taken.add(key);
    return true;
  };

  // A spec renders to its own file plus, when encrypted, the key files its format writes next to it.
  const add = (spec: FileSpec, vendor: string, render: () => readonly RenderedFile[], mac?: Mac, folder?: readonly string[]): void => {
    if (!claim(spec.name, mac)) return;
    const base = { vendor, mac, secret: spec.secret, ...(folder ? { folder } : {}) };
    try {
      const [main, ...companions] = render();
      if (!main) throw new Error(`rendering ${spec.name} produced no file`);
      entries.push({ ...base, name: spec.name, file: memoryFile(main, previous, now) });
      for (const extra of companions) {
        if (claim(extra.name, mac)) entries.push({ ...base, name: extra.name, file: memoryFile(extra, previous, now) });
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      problems.push({ name: spec.name, mac, message });
      entries.push({ ...base, name: spec.name, error: message });
    }
  };

  const defaults = inventory.defaults;
  const activation = activationVars(inventory.activation ?? [], server);
  for (const vendor of registry.all()) {
    for (const spec of vendor.sharedFiles()) {
      const plain = (): RenderedFile[] => [
        { name: spec.name, body: engine.render(spec.template, sharedContext(defaults, spec, server, activation)), contentType: spec.contentType },
      ];
      add(spec, vendor.id, plain);
    }
  }

  let count = 0;
  for (const device of inventory.devices.values()) {
    renderDevice(device, registry, engine, server, add, problems);
    if (++count % YIELD_EVERY === 0) await new Promise<void>((r) => setImmediate(r));
  }

  // PIN files last: a PIN that happens to spell a device or shared file name never shadows it.
  for (const pin of inventory.pins?.values() ?? []) {
    const vendor = registry.get(pin.vendor);
    for (const spec of vendor?.pinFiles?.(pin) ?? []) {
      const plain = (): RenderedFile[] => [
        { name: spec.name, body: engine.render(spec.template, pinContext(pin, spec, server)), contentType: spec.contentType },
      ];
      add(spec, pin.vendor, plain, undefined, pin.folder);
    }
  }
  return new Catalog(entries, problems, now);
}

function renderDevice(
  device: ResolvedDevice,
  registry: VendorRegistry,
  engine: TemplateEngine,
  server: ServerInfo,
  add: (spec: FileSpec, vendor: string, render: () => readonly RenderedFile[], mac?: Mac) => void,
  problems: RenderProblem[],
): void {
  const vendor = registry.get(device.vendor);
  if (!vendor) {
    problems.push({ name: '*', mac: device.mac, message: `vendor ${device.vendor} is not known` });
    return;
  }
  let specs: readonly FileSpec[];
  try {
    specs = vendor.deviceFiles(device);
  } catch (err) {
    // Inventory validation rejects unknown models first; this keeps one bad device from failing all.
    problems.push({ name: '*', mac: device.mac, message: err instanceof Error ? err.message : String(err) });
    return;
  }
  for (const spec of specs) {
    const render = (): RenderedFile[] => {
      // The vendor found the device's data unusable for this file: no half-rendered file.
      if (spec.error !== undefined) throw new Error(spec.error);
      return deviceOutputs(vendor, spec, device, engine.render(spec.template, deviceContext(device, spec, server)));
    };
    add(spec, vendor.id, render, device.mac);
  }
}

/** The served file; its MD5 is of the bytes sent (encrypted ones when encrypted). */
function memoryFile(rendered: RenderedFile, previous: Catalog | undefined, now: number): MemoryFile {
  const { name, body, contentType } = rendered;
  const md5 = createHash('md5').update(body).digest('hex');
  const old = previous?.lookup(name)?.file;
  if (old && old.md5 === md5) return old;
  return { source: 'generated', name, body, md5, contentType, mtimeMs: now };
}
