/**
 * Byte-for-byte comparison with a committed golden file. `UPDATE_GOLDEN=1` rewrites them; review
 * every diff against the vendor facts before keeping it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';

export const REPO = join(import.meta.dirname, '..', '..');

export function checkGolden(vendor: string, caseName: string, name: string, body: Buffer): void {
  const file = join(REPO, 'test', 'golden', vendor, caseName, name);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, body);
  }
  if (!existsSync(file)) throw new Error(`missing golden ${file}; run with UPDATE_GOLDEN=1 and review it`);
  expect(body.toString('utf8')).toBe(readFileSync(file, 'utf8'));
  expect(body.equals(readFileSync(file))).toBe(true);
}
