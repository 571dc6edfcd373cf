/** Public surface of the ledger module (design §4); main.ts and the CLI import from here. */
export { openSqliteLedger } from './sqlite.js';
export type { SqliteLedger, SqliteLedgerOptions, LedgerLogger } from './sqlite.js';
export { openLedgerReader } from './reader.js';
export { ledgerFile } from './location.js';
export type { LedgerReader } from './reader.js';
export { LEDGER_MIGRATIONS, LEDGER_SCHEMA_VERSION, migrateLedger } from './schema.js';
export type { LedgerMigration } from './schema.js';
export {
  computeStatus, deliveryKey, formatLedgerTable, formatStatusTable, ledgerRowsToJson, statusRowsToJson,
} from './format.js';
export type { DeliveryState, StatusRow } from './format.js';
export type { LastDelivery, Ledger, LedgerEntry, LedgerQuery, LedgerRow } from './types.js';
