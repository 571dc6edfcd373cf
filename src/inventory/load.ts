/**
 * Loads an inventory from one YAML file or a folder of them. All or nothing: every problem in
 * every file is collected, and an inventory comes back only when there is no error.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { VendorRegistry } from '../vendors/registry.js';
import { resolveActivation, resolvePins } from './activation.js';
import { resolveDevices } from './devices.js';
import { sortProblems } from './loaded.js';
import { deepFreeze } from './merge.js';
import type { LoadResult } from './loaded.js';
import { fileSections, namedParts, resolvedNamed } from './sections.js';
import type { FileSections } from './sections.js';
import type { InventoryProblem } from './types.js';
import { YamlFile } from './yaml-file.js';

/** Whether a folder entry is an inventory file (hidden files, e.g. editor locks, are not). */
export function isInventoryFileName(name: string): boolean {
  return !name.startsWith('.') && /\.ya?ml$/i.test(name);
}

/** The files an inventory path stands for, sorted by name (code-point order) for determinism. */
async function inventoryFiles(path: string): Promise<{ files: string[] } | { problem: InventoryProblem }> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return { problem: { file: path, message: `cannot read the inventory (${code})`, severity: 'error' } };
  }
  if (!isDir) return { files: [path] };
  const names = (await readdir(path, { withFileTypes: true }))
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && isInventoryFileName(e.name))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { files: names.map((n) => join(path, n)) };
}

/**
 * Builds an inventory from already read file contents (in the order given). Exposed for callers
 * that hold the text themselves (tests, `provd check` on stdin).
 */
export function buildInventory(
  sources: readonly { readonly file: string; readonly text: string }[],
  registry: VendorRegistry,
): LoadResult {
  const problems: InventoryProblem[] = [];
  const parsed = sources.map((s) => YamlFile.parse(s.file, s.text));
  const sections: FileSections[] = [];
  for (const yaml of parsed) {
    problems.push(...yaml.problems);
    const s = fileSections(yaml, problems);
    if (s) sections.push(s);
  }
  const parts = namedParts(sections, registry, problems);
  const devices = resolveDevices(sections, parts, registry, problems);
  const activation = resolveActivation(sections, problems);
  const pins = resolvePins(sections, parts, registry, activation, problems);
  const files = sources.map((s) => s.file);
  const sorted = sortProblems(problems, files);
  if (sorted.some((p) => p.severity === 'error')) return { ok: false, problems: sorted };
  const { sites, profiles } = resolvedNamed(parts);
  return {
    ok: true,
    inventory: {
      devices,
      profiles,
      sites,
      defaults: deepFreeze(parts.defaults),
      files: Object.freeze(files),
      activation: deepFreeze(activation),
      pins,
    },
    warnings: sorted,
  };
}

/** Reads and loads the inventory at `path` (a YAML file or a folder of `*.yaml`/`*.yml`). */
export async function loadInventory(path: string, registry: VendorRegistry): Promise<LoadResult> {
  const listed = await inventoryFiles(path);
  if ('problem' in listed) return { ok: false, problems: [listed.problem] };
  const problems: InventoryProblem[] = [];
  const sources: { file: string; text: string }[] = [];
  await Promise.all(
    listed.files.map(async (file, i) => {
      try {
        sources[i] = { file, text: await readFile(file, 'utf8') };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        problems.push({ file, message: `cannot read the file (${code})`, severity: 'error' });
      }
    }),
  );
  if (problems.length > 0) return { ok: false, problems: sortProblems(problems, listed.files) };
  const result = buildInventory(sources, registry);
  if (result.ok && listed.files.length === 0) {
    const warning: InventoryProblem = { file: path, message: 'no *.yaml or *.yml files in the inventory folder', severity: 'warning' };
    return { ...result, warnings: [warning, ...result.warnings] };
  }
  return result;
}
