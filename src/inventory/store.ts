/**
 * Holds the last good inventory. A reload that fails validation changes nothing: the old inventory
 * keeps serving and the caller gets the problems to log. Reloads never overlap.
 */
import type { VendorRegistry } from '../vendors/registry.js';
import { loadInventory } from './load.js';
import type { LoadResult, LoadedInventory } from './loaded.js';
import type { InventoryProblem } from './types.js';

export type ReloadOutcome =
  | { readonly ok: true; readonly inventory: LoadedInventory; readonly warnings: readonly InventoryProblem[] }
  | {
      readonly ok: false;
      readonly problems: readonly InventoryProblem[];
      /** What keeps serving: the last good inventory, if there ever was one. */
      readonly kept: LoadedInventory | undefined;
    };

export interface InventoryStoreOptions {
  readonly path: string;
  readonly registry: VendorRegistry;
  /** The loader; loadInventory unless a caller needs another source. */
  readonly load?: (path: string, registry: VendorRegistry) => Promise<LoadResult>;
}

export class InventoryStore {
  readonly #opts: InventoryStoreOptions;
  #current: LoadedInventory | undefined;
  #running: Promise<ReloadOutcome> | undefined;
  #queued: Promise<ReloadOutcome> | undefined;

  constructor(opts: InventoryStoreOptions) {
    this.#opts = opts;
  }

  /** The last inventory that loaded without errors; undefined before the first good load. */
  current(): LoadedInventory | undefined {
    return this.#current;
  }

  /**
   * Loads the inventory again. While a reload runs, calls share one follow-up reload that starts
   * when it ends, so the newest files are always read and bursts cost at most two loads.
   */
  reload(): Promise<ReloadOutcome> {
    if (this.#queued) return this.#queued;
    if (this.#running) {
      this.#queued = this.#running.then(() => this.#start());
      return this.#queued;
    }
    return this.#start();
  }

  #start(): Promise<ReloadOutcome> {
    this.#queued = undefined;
    const run = this.#run();
    this.#running = run;
    void run.then(() => {
      if (this.#running === run) this.#running = undefined;
    });
    return run;
  }

  async #run(): Promise<ReloadOutcome> {
    try {
      const result = await (this.#opts.load ?? loadInventory)(this.#opts.path, this.#opts.registry);
      if (!result.ok) return { ok: false, problems: result.problems, kept: this.#current };
      this.#current = result.inventory;
      return result;
    } catch (err) {
      // An unexpected failure (a bug, not bad input) must not lose the serving inventory either.
      const message = err instanceof Error ? err.message : String(err);
      return {
        ok: false,
        problems: [{ file: this.#opts.path, message: `reload failed: ${message}`, severity: 'error' }],
        kept: this.#current,
      };
    }
  }
}
