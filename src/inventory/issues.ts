/**
 * Turns schema issues into inventory problems that point at the file, line and column of the
 * offending value, with messages written for someone editing YAML by hand.
 */
import { isScalar, isSeq } from 'yaml';
import type { z } from 'zod';
import { allowedKeys } from './schema.js';
import type { InventoryProblem } from './types.js';
import type { YamlFile, YamlPath } from './yaml-file.js';

type Issue = z.core.$ZodIssue;

const SECTIONS_WITH_NAMES = new Set(['sites', 'profiles', 'pins']);

/** `devices.3.accounts.0` -> `devices.*.accounts.*`; `profiles.zoom.match` -> `profiles.*.match`. */
function shapeOf(path: YamlPath): string {
  return path
    .map((part, i) => (typeof part === 'number' || (i === 1 && SECTIONS_WITH_NAMES.has(String(path[0]))) ? '*' : part))
    .join('.');
}

function toPath(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((p) => (typeof p === 'number' ? p : String(p)));
}

/** Describes the value as the admin wrote it, with the quoting hint that YAML typing needs. */
function typeMessage(yaml: YamlFile, path: YamlPath, expected: string): string {
  const key = path[path.length - 1];
  const node = yaml.node(path);
  if (node === undefined) {
    return typeof key === 'string' ? `missing required key "${key}"` : `expected ${expected}`;
  }
  if (isScalar(node)) {
    const src = yaml.sourceText(path) ?? String(node.value);
    const got = node.value === null ? 'nothing (null)' : `${typeof node.value} ${src}`;
    if (expected === 'string' && node.value !== null && typeof node.value !== 'string') {
      return `must be a quoted string: YAML reads ${src} unquoted as a ${typeof node.value}; write "${src}"`;
    }
    return `expected ${expected}, got ${got}`;
  }
  return `expected ${expected}, got a ${isSeq(node) ? 'list' : 'mapping'}`;
}

function describeExpected(expected: string): string {
  if (expected === 'object' || expected === 'record') return 'a mapping (key: value)';
  if (expected === 'array') return 'a list';
  if (expected === 'int') return 'a whole number';
  return expected;
}

/** Problems for the issues of one schema check of the value at `base` in `yaml`. */
export function issuesToProblems(yaml: YamlFile, base: YamlPath, issues: readonly Issue[]): InventoryProblem[] {
  const out: InventoryProblem[] = [];
  const add = (path: YamlPath, message: string, key?: string): void => {
    out.push({ file: yaml.file, ...yaml.position(path, key), message, severity: 'error' });
  };
  // `transport: must be one of ...`: the key in front says which value is meant.
  const addAt = (path: YamlPath, message: string): void => {
    const last = path[path.length - 1];
    add(path, typeof last === 'string' ? `${last}: ${message}` : message);
  };
  for (const issue of issues) {
    const path = [...base, ...toPath(issue.path)];
    switch (issue.code) {
      case 'unrecognized_keys': {
        const allowed = allowedKeys(shapeOf(path));
        const hint = allowed ? ` (allowed here: ${allowed.join(', ')})` : '';
        for (const key of issue.keys) add(path, `unknown key "${key}"${hint}`, key);
        break;
      }
      case 'invalid_type':
        if (yaml.node(path) === undefined) add(path, typeMessage(yaml, path, describeExpected(issue.expected)));
        else addAt(path, typeMessage(yaml, path, describeExpected(issue.expected)));
        break;
      case 'invalid_value': {
        const node = yaml.node(path);
        const got = isScalar(node) ? ` (got ${yaml.sourceText(path) ?? String(node.value)})` : '';
        addAt(path, `must be one of ${issue.values.map(String).join(', ')}${got}`);
        break;
      }
      case 'invalid_key': {
        const inner = issue.issues.map((i) => i.message).join('; ');
        const key = path[path.length - 1];
        add(path, `bad name "${String(key)}": ${inner}`, typeof key === 'string' ? key : undefined);
        break;
      }
      case 'custom': {
        const key = path[path.length - 1];
        if (issue.params?.['at'] === 'key' && typeof key === 'string') add(path.slice(0, -1), `${key}: ${issue.message}`, key);
        else addAt(path, issue.message);
        break;
      }
      default:
        addAt(path, issue.message);
    }
  }
  return out;
}
