/**
 * The inventory as the admin API reports it: the last load attempt (good or rejected) and the
 * last good one, and the full resolved inventory (accounts, variables) that the serving side
 * does not keep. The full inventory is read from disk on first need after each reload and
 * cached, so the serving thread's memory stays as lean as before.
 */
import type { Mac } from '../core/mac.js';
import type { InventoryProblem } from '../inventory/types.js';
import type { DeviceExtras } from './inventory-extras.js';

export interface LoadAttempt {
  readonly at: number;
  readonly ok: boolean;
  readonly devices?: number;
  readonly files?: number;
  readonly renderProblems?: readonly { readonly name: string; readonly mac?: string; readonly message: string }[];
  readonly problems: readonly InventoryProblem[];
  readonly warnings: readonly InventoryProblem[];
}

export interface InventoryStatusDeps {
  /** Loads and checks the inventory from disk, off the serving thread (inventory-extras.ts). */
  readonly load: () => Promise<{ ok: true; devices: ReadonlyMap<string, DeviceExtras> } | { ok: false }>;
}

export class InventoryStatus {
  #lastAttempt: LoadAttempt | undefined;
  #lastGood: LoadAttempt | undefined;
  #full: Promise<ReadonlyMap<string, DeviceExtras> | undefined> | undefined;
  readonly #deps: InventoryStatusDeps;
  readonly #listeners: ((a: LoadAttempt) => void)[] = [];

  constructor(deps: InventoryStatusDeps) {
    this.#deps = deps;
  }

  /** The daemon calls this after every load attempt. */
  attempted(a: LoadAttempt): void {
    this.#lastAttempt = a;
    if (a.ok) {
      this.#lastGood = a;
      this.#full = undefined;
    }
    for (const l of this.#listeners) l(a);
  }

  onAttempt(listener: (a: LoadAttempt) => void): void {
    this.#listeners.push(listener);
  }

  get lastAttempt(): LoadAttempt | undefined {
    return this.#lastAttempt;
  }

  get lastGood(): LoadAttempt | undefined {
    return this.#lastGood;
  }

  /** Per device, what the serving side does not keep (lines, secrets); undefined when it does not load. */
  full(): Promise<ReadonlyMap<string, DeviceExtras> | undefined> {
    this.#full ??= this.#deps.load().then((r) => (r.ok ? r.devices : undefined), () => undefined);
    const pending = this.#full;
    // A failed read is not cached: the next call tries again.
    void pending.then((inv) => {
      if (!inv && this.#full === pending) this.#full = undefined;
    });
    return pending;
  }

  async device(mac: Mac): Promise<DeviceExtras | undefined> {
    return (await this.full())?.get(mac);
  }
}

