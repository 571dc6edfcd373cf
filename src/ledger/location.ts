import { join } from 'node:path';

/** The ledger's file in a state folder: the daemon writes it, the CLI and syslog read it. */
export function ledgerFile(stateDir: string): string {
  return join(stateDir, 'ledger.sqlite');
}
