/**
 * What the admin side keeps of the full inventory (the serving thread keeps only summaries), and
 * the off-thread loader that produces it (inventory-worker.ts).
 */
import { Worker } from 'node:worker_threads';
import type { Transport } from '../inventory/types.js';

export interface DeviceLine {
  readonly line: number;
  readonly user: string;
  readonly auth_id: string;
  readonly password: string;
  readonly display_name: string;
  readonly label: string;
  readonly registrar: string;
  readonly outbound_proxy: string | null;
  readonly transport: Transport;
}

export interface DeviceExtras {
  readonly accounts: readonly DeviceLine[];
  /** The device's own HTTP password (inventory `auth`), a secret to mask. */
  readonly authPassword?: string;
  /** Device variable `sip_port`: where its NOTIFYs go. */
  readonly sipPort?: number;
}

export interface InventoryJob {
  readonly path: string;
  /** Only check: answer with the device count, not the devices. */
  readonly summary?: boolean;
}

export type InventoryReply =
  | { readonly ok: true; readonly devices: ReadonlyMap<string, DeviceExtras>; readonly count: number }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Loads (and checks) the inventory at `path` in a worker thread. */
export function loadInventoryOffThread(job: InventoryJob): Promise<InventoryReply> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./inventory-worker.js', import.meta.url), { workerData: job });
    let settled = false;
    worker.once('message', (reply: InventoryReply) => {
      settled = true;
      void worker.terminate();
      resolve(reply);
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`inventory worker exited with code ${code} before answering`));
    });
  });
}

/** Every secret the inventory holds for a device: line passwords and its HTTP password. */
export function deviceSecrets(d: DeviceExtras | undefined): string[] {
  if (!d) return [];
  return [...d.accounts.map((a) => a.password), ...(d.authPassword ? [d.authPassword] : [])].filter((s) => s !== '');
}
