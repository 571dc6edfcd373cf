/** `provd ledger`: the fetch records, newest first, as a table or JSON lines. */
import type { Mac } from '../core/mac.js';
import { formatLedgerTable, ledgerRowsToJson } from '../ledger/format.js';
import { openLedgerReader } from '../ledger/index.js';
import type { CliIo } from './io.js';
import { configOrReport, type ConfigArgs } from './setup.js';
import { ledgerFile } from '../ledger/location.js';

export async function ledger(
  args: ConfigArgs & { mac?: Mac; since?: number; limit?: number; json: boolean },
  io: CliIo,
): Promise<number> {
  const config = configOrReport(args, io);
  if (!config) return 1;
  const reader = openLedgerReader(ledgerFile(config.state_dir));
  try {
    const rows = reader.query({ mac: args.mac, since: args.since, limit: args.limit ?? 100 });
    io.stdout.write(args.json ? ledgerRowsToJson(rows) : formatLedgerTable(rows));
  } finally {
    reader.close();
  }
  return 0;
}
