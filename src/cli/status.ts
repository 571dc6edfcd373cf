/**
 * `provd status [MAC]`: per device and file, whether the phone holds today's render (`current`),
 * an older one (`pending`) or never fetched it (`never`). Renders the inventory the way the daemon
 * does and reads the daemon's ledger (read-only; safe while it runs).
 */
import type { Mac } from '../core/mac.js';
import { computeStatus, formatStatusTable, statusRowsToJson } from '../ledger/format.js';
import { openLedgerReader } from '../ledger/index.js';
import type { CliIo } from './io.js';
import { cliSnapshot, type ConfigArgs } from './setup.js';
import { ledgerFile } from '../ledger/location.js';

export async function status(args: ConfigArgs & { mac?: Mac; json: boolean }, io: CliIo): Promise<number> {
  const loaded = await cliSnapshot(args, io, 'status', args.mac);
  if (!loaded) return 1;
  const { config, snapshot } = loaded;
  const macs = args.mac ? [args.mac] : [...snapshot.devices.keys()];
  const current = macs.flatMap((mac) =>
    snapshot.catalog.deviceEntries(mac).flatMap((e) => (e.file ? [{ mac, file: e.name, md5: e.file.md5 }] : [])),
  );
  const reader = openLedgerReader(ledgerFile(config.state_dir));
  try {
    const rows = computeStatus(current, reader.lastDeliveries());
    io.stdout.write(args.json ? statusRowsToJson(rows) : formatStatusTable(rows));
  } finally {
    reader.close();
  }
  return 0;
}
