/**
 * `provd status [MAC]`: per device and file, whether the phone holds today's render (`current`),
 * an older one (`pending`) or never fetched it (`never`). Renders the inventory the way the daemon
 * does and reads the daemon's ledger (read-only; safe while it runs).
 */
import { join } from 'node:path';
import type { Mac } from '../core/mac.js';
import { computeStatus, formatStatusTable, statusRowsToJson } from '../ledger/format.js';
import { openLedgerReader } from '../ledger/index.js';
import type { CliIo } from './io.js';
import {
  configOrReport,
  createEngines,
  formatInventoryProblem,
  makeSnapshot,
  readInventory,
  serverForCli,
  type ConfigArgs,
} from './setup.js';

export async function status(args: ConfigArgs & { mac?: Mac; json: boolean }, io: CliIo): Promise<number> {
  const config = configOrReport(args, io);
  if (!config) return 1;
  const engines = createEngines(config);
  const loaded = await readInventory(config, engines.registry);
  if (!loaded.ok) {
    for (const p of loaded.problems) io.stderr.write(`${formatInventoryProblem(p)}\n`);
    return 1;
  }
  if (args.mac && !loaded.inventory.devices.has(args.mac)) {
    io.stderr.write(`provd status: no device ${args.mac} in the inventory\n`);
    return 1;
  }
  // The daemon renders with the ports it bound; with fixed ports (the normal case) they agree.
  const snapshot = await makeSnapshot(loaded.inventory, engines, serverForCli(config), Date.now());
  const macs = args.mac ? [args.mac] : [...loaded.inventory.devices.keys()];
  const current = macs.flatMap((mac) =>
    snapshot.catalog.deviceEntries(mac).flatMap((e) => (e.file ? [{ mac, file: e.name, md5: e.file.md5 }] : [])),
  );
  const reader = openLedgerReader(join(config.state_dir, 'ledger.sqlite'));
  try {
    const rows = computeStatus(current, reader.lastDeliveries());
    io.stdout.write(args.json ? statusRowsToJson(rows) : formatStatusTable(rows));
  } finally {
    reader.close();
  }
  return 0;
}
