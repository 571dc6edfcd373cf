/**
 * Worker-thread entry: loads and checks an inventory off the serving thread (10,000 phones take
 * seconds of YAML parsing and validation) and answers with only what the admin side needs: per
 * device its lines (for masking, NOTIFY credentials and the device page) and `sip_port`, or the
 * problems. The garbage of parsing leaves with the worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadCheckedInventory } from '../inventory/checked.js';
import { formatProblem } from '../inventory/loaded.js';
import { createVendorRegistry } from '../vendors/index.js';
import type { InventoryJob, InventoryReply, DeviceExtras } from './inventory-extras.js';

const job = workerData as InventoryJob;
const loaded = await loadCheckedInventory(job.path, createVendorRegistry());
let reply: InventoryReply;
if (!loaded.ok) reply = { ok: false, problems: loaded.problems.map(formatProblem) };
else {
  const devices = new Map<string, DeviceExtras>();
  for (const [mac, d] of loaded.inventory.devices) {
    const sipPort = d.vars.sip_port;
    devices.set(mac, {
      accounts: d.accounts.map((a) => ({
        line: a.line,
        user: a.user,
        auth_id: a.auth_id,
        password: a.password,
        display_name: a.display_name,
        label: a.label,
        registrar: a.registrar.text,
        outbound_proxy: a.outbound_proxy?.text ?? null,
        transport: a.transport,
      })),
      ...(d.auth ? { authPassword: d.auth.password } : {}),
      ...(typeof sipPort === 'number' && Number.isInteger(sipPort) ? { sipPort } : {}),
    });
  }
  reply = { ok: true, devices: job.summary ? new Map() : devices, count: loaded.inventory.devices.size };
}
parentPort?.postMessage(reply);
