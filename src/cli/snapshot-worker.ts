/**
 * Worker-thread entry: loads and checks the inventory and renders every file. Parsing YAML and
 * rendering thousands of phones make a lot of short-lived garbage and take about a second for
 * 10,000 phones; here the daemon keeps answering meanwhile, and the garbage goes away with the
 * worker's heap instead of staying in the daemon's resident memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { InventoryFolder } from '../core/policy.js';
import { activationFolders } from '../inventory/activation.js';
import { loadCheckedInventory } from '../inventory/checked.js';
import type { Mac } from '../core/mac.js';
import { summarise, type DeviceSummary, type InventoryProblem } from '../inventory/types.js';
import { buildCatalog } from '../render/catalog.js';
import { packCatalog, type PackedCatalog } from '../render/catalog-transfer.js';
import type { ServerInfo } from '../render/context.js';
import { createTemplateEngine } from '../render/engine.js';
import { createVendorRegistry } from '../vendors/index.js';

export interface SnapshotJob {
  readonly inventory: string;
  readonly templates: { readonly shipped: string; readonly override: string };
  readonly server: ServerInfo;
}

export type SnapshotReply =
  | {
      readonly ok: true;
      /** Only summaries cross over: accounts and variables are done with once rendered. */
      readonly devices: ReadonlyMap<Mac, DeviceSummary>;
      readonly warnings: readonly InventoryProblem[];
      readonly catalog: PackedCatalog;
      /** Activation folders and their credentials, for the access policy. */
      readonly folders: readonly InventoryFolder[];
    }
  | { readonly ok: false; readonly problems: readonly InventoryProblem[] };

const job = workerData as SnapshotJob;
const registry = createVendorRegistry();
const loaded = await loadCheckedInventory(job.inventory, registry);
if (!loaded.ok) {
  parentPort?.postMessage({ ok: false, problems: loaded.problems } satisfies SnapshotReply);
} else {
  const engine = createTemplateEngine(job.templates);
  const catalog = await buildCatalog({ inventory: loaded.inventory, registry, engine, server: job.server, now: 0 });
  const packed = packCatalog(catalog);
  const devices = new Map<Mac, DeviceSummary>();
  for (const [mac, d] of loaded.inventory.devices) devices.set(mac, summarise(d));
  const reply: SnapshotReply = { ok: true, devices, warnings: loaded.warnings, catalog: packed, folders: activationFolders(loaded.inventory.activation) };
  parentPort?.postMessage(reply, [packed.bodies]);
}
