/**
 * `provd import <devices.csv> [--out FILE]`: a spreadsheet export (one row per account line) to an
 * inventory devices file. Every bad row is reported with its row number and nothing is written;
 * the output file is replaced atomically.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { importCsv } from '../inventory/csv.js';
import { createVendorRegistry } from '../vendors/index.js';
import type { CliIo } from './io.js';
import { formatInventoryProblem } from './setup.js';

export async function importDevices(args: { csv: string; out?: string }, io: CliIo): Promise<number> {
  const csvPath = resolve(io.cwd, args.csv);
  let text: string;
  try {
    text = await readFile(csvPath, 'utf8');
  } catch (err) {
    io.stderr.write(`provd import: cannot read ${csvPath}: ${(err as Error).message}\n`);
    return 1;
  }
  const result = importCsv(text, csvPath, createVendorRegistry());
  if (!result.ok) {
    for (const p of result.problems) io.stderr.write(`${formatInventoryProblem(p)}\n`);
    return 1;
  }
  if (!args.out) {
    io.stdout.write(result.yaml);
    io.stderr.write(`${result.deviceCount} devices\n`);
    return 0;
  }
  const out = resolve(io.cwd, args.out);
  const temp = join(dirname(out), `.${basename(out)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, result.yaml, { flag: 'wx', mode: 0o640 });
    await rename(temp, out);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    io.stderr.write(`provd import: cannot write ${out}: ${(err as Error).message}\n`);
    return 1;
  }
  io.stderr.write(`${result.deviceCount} devices written to ${out}\n`);
  return 0;
}
