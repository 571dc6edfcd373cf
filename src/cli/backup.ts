/**
 * `provd backup --out FILE`: a consistent copy of the fetch ledger, safe while the daemon runs
 * (see ledger/backup.ts for why `cp` is not). Phone uploads are plain files replaced by rename,
 * so an ordinary copy of `uploads/` is already consistent; docs/operators-guide.md has the rest.
 */
import { resolve } from 'node:path';
import { backupLedger } from '../ledger/backup.js';
import type { CliIo } from './io.js';
import { configOrReport, type ConfigArgs } from './setup.js';
import { ledgerFile } from '../ledger/location.js';

export async function backup(args: ConfigArgs & { readonly out: string }, io: CliIo): Promise<number> {
  const config = configOrReport(args, io);
  if (!config) return 1;
  const source = ledgerFile(config.state_dir);
  const out = resolve(io.cwd, args.out);
  if (out === resolve(source)) {
    io.stderr.write('provd backup: --out names the live ledger itself; write the copy somewhere else\n');
    return 2;
  }
  try {
    const done = await backupLedger(source, out);
    io.stdout.write(`${out}: ${done.fetches} fetch records, ledger schema ${done.schemaVersion}, ${done.bytes} bytes\n`);
    return 0;
  } catch (err) {
    io.stderr.write(`provd backup: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
