/** Runs snapshot-worker.ts and turns its reply into a Snapshot (see there for why a worker). */
import { Worker } from 'node:worker_threads';
import type { Snapshot } from '../core/resolver.js';
import type { InventoryProblem } from '../inventory/types.js';
import type { Catalog } from '../render/catalog.js';
import { unpackCatalog } from '../render/catalog-transfer.js';
import type { VendorRegistry } from '../vendors/registry.js';
import { snapshotOf } from './setup.js';
import type { SnapshotJob, SnapshotReply } from './snapshot-worker.js';

export type OffThreadSnapshot =
  | { readonly ok: true; readonly snapshot: Snapshot; readonly warnings: readonly InventoryProblem[] }
  | { readonly ok: false; readonly problems: readonly InventoryProblem[] };

export function loadSnapshotOffThread(
  job: SnapshotJob,
  registry: VendorRegistry,
  previous: Catalog | undefined,
  now: number,
): Promise<OffThreadSnapshot> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./snapshot-worker.js', import.meta.url), { workerData: job });
    let settled = false;
    worker.once('message', (reply: SnapshotReply) => {
      settled = true;
      void worker.terminate();
      if (!reply.ok) {
        resolve({ ok: false, problems: reply.problems });
        return;
      }
      const catalog = unpackCatalog(reply.catalog, previous, now);
      resolve({ ok: true, snapshot: snapshotOf(reply.devices, catalog, registry, reply.folders), warnings: reply.warnings });
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`snapshot worker exited with code ${code} before answering`));
    });
  });
}
