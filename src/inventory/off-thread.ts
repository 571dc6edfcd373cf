/**
 * Loads the inventory in a worker thread (see load-worker.ts for why). The result arrives by
 * structured clone: plain data, Maps and all, so the caller gets the same shapes as a direct load.
 */
import { Worker } from 'node:worker_threads';
import type { LoadResult } from './loaded.js';

export function loadInventoryOffThread(path: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-worker.js', import.meta.url), { workerData: { path } });
    let settled = false;
    worker.once('message', (result: LoadResult) => {
      settled = true;
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`inventory loader exited with code ${code} before answering`));
    });
  });
}
