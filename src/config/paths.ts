/**
 * The config's filesystem paths. Paths written in the file are relative to the file's folder,
 * so a config and its inventory can move together; paths from the environment or flags were
 * already made absolute against the working directory before validation.
 */
import path from 'node:path';
import type { Config } from './schema.js';

/** Every config field that names a file or folder, as a key path. */
export const PATH_FIELDS: readonly (readonly string[])[] = [
  ['state_dir'],
  ['root'],
  ['inventory'],
  ['templates', 'shipped'],
  ['templates', 'override'],
  ['https', 'cert'],
  ['https', 'key'],
  ['admin', 'tokens_file'],
  ['admin', 'jobs', 'remote_inventory', 'file'],
];

/** Fields set to an empty string; resolving '' would silently mean "the config folder". */
export function emptyPathFields(config: Config): (readonly string[])[] {
  return PATH_FIELDS.filter((p) => getString(config, p) === '');
}

/**
 * Makes every path in `config` absolute, in place. `shippedDefaultDir` anchors the default of
 * `templates.shipped` when the file does not set it: that default means "the templates of this
 * package", which sit next to the embedded config, not next to an admin's own file.
 */
export function resolvePaths(
  config: Config,
  configDir: string,
  shippedSetInFile: boolean,
  shippedDefaultDir: string,
): void {
  for (const p of PATH_FIELDS) {
    const value = getString(config, p);
    if (value === undefined) continue;
    const isShippedDefault = p[0] === 'templates' && p[1] === 'shipped' && !shippedSetInFile;
    setString(config, p, path.resolve(isShippedDefault ? shippedDefaultDir : configDir, value));
  }
}

function getString(obj: object, p: readonly string[]): string | undefined {
  let v: unknown = obj;
  for (const seg of p) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[seg] : undefined;
  return typeof v === 'string' ? v : undefined;
}

function setString(obj: object, p: readonly string[], value: string): void {
  let v: Record<string, unknown> = obj as Record<string, unknown>;
  for (const seg of p.slice(0, -1)) v = v[seg] as Record<string, unknown>;
  v[p[p.length - 1] as string] = value;
}
