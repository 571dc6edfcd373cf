/**
 * Calls `reload` when the inventory file or folder changes. Watches the folder (for a single
 * file, the folder it is in) rather than the file itself: editors that save by writing a temp
 * file and renaming it over the original replace the inode a file watch is attached to.
 */
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { isInventoryFileName } from './load.js';

export interface InventoryWatcherOptions {
  /** Inventory file or folder, as given to loadInventory. */
  readonly path: string;
  /** Called once per burst of changes; SIGHUP is wired to the same callback by main. */
  readonly reload: () => void;
  /** Quiet time after the last change before reloading (editors write in several steps). */
  readonly debounceMs?: number;
  /** How long to wait before trying again when the path cannot be watched (e.g. it is missing). */
  readonly retryMs?: number;
  /** Watch failures (the path vanished...); the watcher keeps retrying until stopped. */
  readonly onError?: (err: Error) => void;
}

/** A folder entry whose change means the inventory may have changed. */
function relevant(name: string | null): boolean {
  // No name: the platform did not say which entry changed, so assume ours. `..data` is the
  // symlink Kubernetes swaps when a mounted ConfigMap changes.
  return name === null || name === '..data' || isInventoryFileName(name);
}

export class InventoryWatcher {
  readonly #opts: InventoryWatcherOptions;
  #watcher: FSWatcher | undefined;
  #debounce: NodeJS.Timeout | undefined;
  #retry: NodeJS.Timeout | undefined;
  #running = false;
  /** The watched folder's identity: a folder replaced by a new one needs a new watch. */
  #folder: { path: string; ino: number } | undefined;

  constructor(opts: InventoryWatcherOptions) {
    this.#opts = opts;
  }

  /** Starts watching; failures go to `onError` and are retried, so this never throws. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#arm(false);
  }

  /** Stops watching and drops a pending reload. */
  stop(): void {
    this.#running = false;
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#folder = undefined;
    clearTimeout(this.#debounce);
    clearTimeout(this.#retry);
    this.#debounce = undefined;
    this.#retry = undefined;
  }

  async #arm(afterFailure: boolean): Promise<void> {
    let isDir: boolean;
    let folder: string;
    try {
      isDir = (await stat(this.#opts.path)).isDirectory();
      folder = isDir ? this.#opts.path : dirname(this.#opts.path);
      this.#folder = { path: folder, ino: (await stat(folder)).ino };
    } catch (err) {
      this.#fail(err);
      return;
    }
    if (!this.#running || this.#watcher) return;
    const file = isDir ? undefined : basename(this.#opts.path);
    try {
      const w = watch(folder, { persistent: false }, (_event, name) => {
        const n = name === null ? null : String(name);
        if (file !== undefined ? n === null || n === file : relevant(n)) this.#changed();
      });
      w.on('error', (err) => {
        if (this.#watcher === w) this.#watcher = undefined;
        w.close();
        this.#fail(err);
      });
      this.#watcher = w;
    } catch (err) {
      this.#fail(err);
      return;
    }
    // Whatever happened while nothing was watching has to be picked up.
    if (afterFailure) this.#changed();
  }

  #fail(err: unknown): void {
    this.#opts.onError?.(err instanceof Error ? err : new Error(String(err)));
    if (!this.#running) return;
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => void this.#arm(true), this.#opts.retryMs ?? 2000);
    this.#retry.unref();
  }

  #changed(): void {
    if (!this.#running) return;
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => {
      this.#debounce = undefined;
      if (!this.#running) return;
      this.#opts.reload();
      void this.#checkFolder();
    }, this.#opts.debounceMs ?? 300);
  }

  /** A watch follows the folder's inode: when the folder was deleted or swapped, watch anew. */
  async #checkFolder(): Promise<void> {
    const armed = this.#folder;
    if (!armed) return;
    const ino = await stat(armed.path).then((s) => s.ino, () => undefined);
    if (!this.#running || this.#folder !== armed || ino === armed.ino) return;
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#folder = undefined;
    if (ino === undefined) this.#fail(new Error(`${armed.path} is gone`));
    else await this.#arm(true);
  }
}
