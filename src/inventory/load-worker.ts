/**
 * Worker-thread entry that loads and validates an inventory. Parsing YAML for thousands of
 * devices makes a lot of short-lived garbage and takes about a second for 10,000 phones; doing it
 * in a worker keeps the daemon answering phones meanwhile, and the worker's heap is returned to
 * the system when it exits instead of staying in the daemon's resident memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadCheckedInventory } from './checked.js';
import { createVendorRegistry } from '../vendors/index.js';

const { path } = workerData as { path: string };
const result = await loadCheckedInventory(path, createVendorRegistry());
parentPort?.postMessage(result);
