/**
 * Reading a spreadsheet export into rows: header check, row numbers as the spreadsheet shows them
 * (header = row 1, quoted line breaks do not count, blank lines do), every malformed row reported.
 */
import { parse } from 'csv-parse/sync';
import type { CsvError } from 'csv-parse/sync';
import type { InventoryProblem } from './types.js';

/** The columns `provd import` understands, in the order the docs list them. */
export const CSV_COLUMNS = [
  'mac',
  'vendor',
  'model',
  'profile',
  'site',
  'line',
  'user',
  'auth_id',
  'password',
  'display_name',
  'label',
  'sip_domain',
  'outbound_proxy',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Columns without which no row could make a device with an account. */
const REQUIRED: readonly CsvColumn[] = ['mac', 'model', 'user', 'password'];

export interface CsvRow {
  /** Spreadsheet row number (header = 1). */
  readonly row: number;
  /** Trimmed cell per column present in the header; empty cells are omitted. */
  readonly cells: Partial<Record<CsvColumn, string>>;
  /** 1-based column number of each column, for problem positions. */
  readonly columnOf: Readonly<Partial<Record<CsvColumn, number>>>;
}

function isColumn(name: string): name is CsvColumn {
  return (CSV_COLUMNS as readonly string[]).includes(name);
}

/**
 * Excel writes `;` instead of `,` in locales where the comma is the decimal mark; the header line
 * tells which one this file uses.
 */
function delimiterOf(text: string): string {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (first.includes(',')) return ',';
  if (first.includes(';')) return ';';
  if (first.includes('\t')) return '\t';
  return ',';
}

interface Parsed {
  readonly row: number;
  readonly fields: string[];
}

/** Parses the CSV text into rows keyed by column; problems name the row (and column). */
export function readCsvRows(text: string, file: string): { rows: CsvRow[]; problems: InventoryProblem[] } {
  const problems: InventoryProblem[] = [];
  const err = (row: number, message: string, column?: number): void => {
    problems.push({ file, line: row, ...(column !== undefined ? { column } : {}), message: `row ${row}: ${message}`, severity: 'error' });
  };
  let skipped = 0;
  // on_record runs once per emitted record, in order, so this lines up with parse()'s result.
  const rowNumbers: number[] = [];
  let records: Parsed[];
  try {
    const fields = parse(text, {
      bom: true,
      delimiter: delimiterOf(text),
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (e: CsvError | undefined) => {
        if (e) {
          const before = typeof e['records'] === 'number' ? e['records'] : 0;
          const empty = typeof e['empty_lines'] === 'number' ? e['empty_lines'] : 0;
          err(before + empty + skipped + 1, `not valid CSV: ${e.message}`);
        }
        skipped++;
        return undefined;
      },
      on_record: (record: string[], ctx) => {
        rowNumbers.push(ctx.records + ctx.empty_lines + skipped);
        return record;
      },
    });
    records = fields.map((f, i) => ({ row: rowNumbers[i] ?? 0, fields: f }));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { rows: [], problems: [{ file, line: 1, message: `not valid CSV: ${message}`, severity: 'error' }] };
  }

  const [header, ...body] = records;
  if (!header) {
    problems.push({ file, line: 1, message: `no header row (expected columns: ${CSV_COLUMNS.join(',')})`, severity: 'error' });
    return { rows: [], problems };
  }
  const columnOf: Partial<Record<CsvColumn, number>> = {};
  const names: (CsvColumn | undefined)[] = [];
  header.fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!isColumn(name)) {
      err(header.row, `unknown column "${raw.trim()}" (known: ${CSV_COLUMNS.join(', ')})`, i + 1);
      names.push(undefined);
    } else if (columnOf[name] !== undefined) {
      err(header.row, `column "${name}" appears twice (columns ${columnOf[name]} and ${i + 1})`, i + 1);
      names.push(undefined);
    } else {
      columnOf[name] = i + 1;
      names.push(name);
    }
  });
  for (const col of REQUIRED) if (columnOf[col] === undefined) err(header.row, `missing column "${col}"`);
  if (problems.length > 0) return { rows: [], problems };

  const rows: CsvRow[] = [];
  for (const rec of body) {
    if (rec.fields.length !== header.fields.length) {
      err(rec.row, `has ${rec.fields.length} fields, the header has ${header.fields.length}`);
      continue;
    }
    const cells: Partial<Record<CsvColumn, string>> = {};
    rec.fields.forEach((value, i) => {
      const name = names[i];
      // Passwords are taken verbatim; elsewhere stray spaces from a spreadsheet are noise.
      const v = name === 'password' ? value : value.trim();
      if (name && v !== '') cells[name] = v;
    });
    rows.push({ row: rec.row, cells, columnOf });
  }
  return { rows, problems };
}
