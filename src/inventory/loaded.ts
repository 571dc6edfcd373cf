/**
 * What loading an inventory gives back, and how its problems are printed. The resolved shapes
 * themselves live in types.ts (a device's own HTTP credentials are its `auth`).
 */
import type { Inventory, InventoryProblem } from './types.js';

export type LoadedInventory = Inventory;

/** All or nothing: either every file loaded cleanly, or the full list of problems. */
export type LoadResult =
  | { readonly ok: true; readonly inventory: LoadedInventory; readonly warnings: readonly InventoryProblem[] }
  | { readonly ok: false; readonly problems: readonly InventoryProblem[] };

/** `file:line:column: error: message`, the form editors and CI logs link to. */
export function formatProblem(p: InventoryProblem): string {
  const where = p.line === undefined ? p.file : p.column === undefined ? `${p.file}:${p.line}` : `${p.file}:${p.line}:${p.column}`;
  return `${where}: ${p.severity}: ${p.message}`;
}

/**
 * Problems in a stable order: by file (in the order given, others after by name), then line and
 * column; problems at the same place keep the order they were found in.
 */
export function sortProblems(problems: readonly InventoryProblem[], fileOrder: readonly string[] = []): InventoryProblem[] {
  const rank = new Map(fileOrder.map((f, i) => [f, i]));
  const fileKey = (f: string): number => rank.get(f) ?? fileOrder.length;
  return problems
    .map((p, i) => ({ p, i }))
    .sort(
      (a, b) =>
        fileKey(a.p.file) - fileKey(b.p.file) ||
        (a.p.file < b.p.file ? -1 : a.p.file > b.p.file ? 1 : 0) ||
        (a.p.line ?? 0) - (b.p.line ?? 0) ||
        (a.p.column ?? 0) - (b.p.column ?? 0) ||
        a.i - b.i,
    )
    .map(({ p }) => p);
}
