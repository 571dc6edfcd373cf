/**
 * `provd import`: a spreadsheet export (one row per account line) to an inventory devices file.
 * Rows with the same MAC are one device. The YAML written loads back through loadInventory once
 * the profiles and sites it names exist in the inventory folder.
 */
import { basename } from 'node:path';
import { Document, isPair, isScalar, visit } from 'yaml';
import { macColons, parseMac } from '../core/mac.js';
import type { Mac } from '../core/mac.js';
import type { VendorRegistry } from '../vendors/registry.js';
import { readCsvRows } from './csv-rows.js';
import type { CsvColumn, CsvRow } from './csv-rows.js';
import { parseHostPort } from './hostport.js';
import { lookupModel } from './models.js';
import { nameSchema } from './schema.js';
import type { InventoryProblem } from './types.js';

export { CSV_COLUMNS } from './csv-rows.js';

export type CsvImportResult =
  | { readonly ok: true; readonly yaml: string; readonly deviceCount: number }
  | { readonly ok: false; readonly problems: readonly InventoryProblem[] };

type AccountOut = Record<string, string | number>;

interface DeviceOut {
  readonly mac: Mac;
  readonly firstRow: number;
  vendor?: string;
  model?: string;
  maxLines: number;
  readonly shared: Partial<Record<'profile' | 'site', { value: string; row: number }>>;
  readonly lines: Map<number, number>;
  readonly accounts: AccountOut[];
}

const ACCOUNT_TEXT: readonly CsvColumn[] = ['user', 'auth_id', 'password', 'display_name', 'label'];
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Converts CSV text to inventory YAML, or returns every problem with its row (and column). */
export function importCsv(text: string, fileName: string, registry: VendorRegistry): CsvImportResult {
  const { rows, problems } = readCsvRows(text, fileName);
  const devices = new Map<Mac, DeviceOut>();
  for (const row of rows) importRow(row, devices, registry, fileName, problems);
  if (problems.length > 0) {
    return { ok: false, problems: [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)) };
  }
  return { ok: true, yaml: toYaml([...devices.values()], fileName), deviceCount: devices.size };
}

function importRow(
  row: CsvRow,
  devices: Map<Mac, DeviceOut>,
  registry: VendorRegistry,
  file: string,
  problems: InventoryProblem[],
): void {
  const { cells } = row;
  const before = problems.length;
  const err = (column: CsvColumn | undefined, message: string): void => {
    const col = column !== undefined ? row.columnOf[column] : undefined;
    problems.push({ file, line: row.row, ...(col !== undefined ? { column: col } : {}), message: `row ${row.row}: ${message}`, severity: 'error' });
  };

  const mac = cells.mac !== undefined ? parseMac(cells.mac) : undefined;
  if (cells.mac === undefined) err('mac', 'no MAC');
  else if (mac === undefined) err('mac', `"${cells.mac}" is not a MAC address`);
  if (cells.model === undefined) err('model', 'no model');
  const found = cells.model !== undefined ? lookupModel(registry, cells.vendor, cells.model) : undefined;
  if (found && !found.ok) {
    err(cells.vendor !== undefined && registry.get(cells.vendor) === undefined ? 'vendor' : 'model', found.message);
  }
  for (const col of ['profile', 'site'] as const) {
    const v = cells[col];
    if (v !== undefined && !nameSchema.safeParse(v).success) err(col, `"${v}" is not a valid ${col} name`);
  }
  let line: number | undefined;
  if (cells.line !== undefined) {
    line = /^\d{1,4}$/.test(cells.line) ? Number(cells.line) : Number.NaN;
    if (!(line >= 1)) err('line', `line must be a whole number from 1 ("${cells.line}")`);
  }
  const account: AccountOut = {};
  for (const col of ACCOUNT_TEXT) {
    const v = cells[col];
    if (v === undefined) continue;
    if (CONTROL.test(v)) err(col, `${col} must not contain line breaks or control characters`);
    else account[col] = v;
  }
  for (const [col, key] of [['sip_domain', 'registrar'], ['outbound_proxy', 'outbound_proxy']] as const) {
    const v = cells[col];
    if (v === undefined) continue;
    const hp = parseHostPort(v);
    if (typeof hp === 'string') err(col, `${col}: ${hp}`);
    else account[key] = hp.text;
  }
  const hasAccount = Object.keys(account).length > 0 || line !== undefined;
  if (hasAccount) {
    if (cells.user === undefined) err('user', 'no user for this account line');
    if (cells.password === undefined) err('password', 'no password for this account line');
  }
  if (mac === undefined || !found?.ok) return;

  let device = devices.get(mac);
  if (!device) {
    device = { mac, firstRow: row.row, maxLines: found.model.accounts, shared: {}, lines: new Map(), accounts: [] };
    devices.set(mac, device);
  }
  const name = macColons(mac);
  if (device.model === undefined) {
    device.vendor = found.vendor.id;
    device.model = found.model.name;
  } else if (device.vendor !== found.vendor.id || device.model !== found.model.name) {
    err('model', `MAC ${name} is a ${found.vendor.id} ${found.model.name} here but a ${device.vendor} ${device.model} in row ${device.firstRow}`);
  }
  for (const col of ['profile', 'site'] as const) {
    const v = cells[col];
    if (v === undefined) continue;
    const earlier = device.shared[col];
    if (!earlier) device.shared[col] = { value: v, row: row.row };
    else if (earlier.value !== v) err(col, `MAC ${name} has ${col} "${v}" here but "${earlier.value}" in row ${earlier.row}`);
  }
  if (!hasAccount || problems.length > before) return;
  const n = line ?? device.accounts.length + 1;
  const earlierRow = device.lines.get(n);
  if (earlierRow !== undefined) {
    err('line', `MAC ${name} has account line ${n} twice (rows ${earlierRow} and ${row.row})`);
    return;
  }
  if (n > device.maxLines) {
    err('line', `MAC ${name}: account line ${n} is above the ${device.maxLines} account lines a ${found.vendor.displayName} ${found.model.name} has`);
    return;
  }
  device.lines.set(n, row.row);
  device.accounts.push({ line: n, ...account });
}

/** YAML for the devices, in first-row order, accounts by line; MACs double-quoted on purpose. */
function toYaml(devices: readonly DeviceOut[], fileName: string): string {
  const list = devices.map((d) => ({
    mac: macColons(d.mac),
    vendor: d.vendor,
    model: d.model,
    ...(d.shared.profile ? { profile: d.shared.profile.value } : {}),
    ...(d.shared.site ? { site: d.shared.site.value } : {}),
    ...(d.accounts.length > 0 ? { accounts: [...d.accounts].sort((a, b) => Number(a['line']) - Number(b['line'])) } : {}),
  }));
  const doc = new Document({ devices: list });
  doc.commentBefore = ` Imported from ${basename(fileName)} by provd import: ${devices.length} device${devices.length === 1 ? '' : 's'}.`;
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && pair.key.value === 'mac' && isScalar(pair.value)) {
        pair.value.type = 'QUOTE_DOUBLE';
      }
    },
  });
  return doc.toString({ lineWidth: 0 });
}
