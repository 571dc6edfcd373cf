/**
 * A YAML config file parsed with positions kept, so that any later complaint about a value can
 * name the line and column where the admin wrote it.
 */
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import type { ConfigProblem } from './problems.js';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface YamlSource {
  /** The plain value (empty file: undefined). Only meaningful when `problems` is empty. */
  readonly value: unknown;
  /** Syntax errors and warnings (unresolved tags...), each with its position. */
  readonly problems: readonly ConfigProblem[];
  /** Where the node at `path` starts; the nearest existing parent when it is missing. */
  locate(path: readonly PropertyKey[]): Position;
  /** Where the key `key` of the mapping at `path` is written (for unknown keys). */
  locateKey(path: readonly PropertyKey[], key: string): Position;
  /** True when the file itself sets a value at `path`. */
  has(path: readonly PropertyKey[]): boolean;
}

/** Parses `text` (read from `file`); never throws on bad input. */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  // prettyErrors off: the message stays one line and the position comes from the LineCounter.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const at = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const problems: ConfigProblem[] = [...doc.errors, ...doc.warnings].map((e) => ({
    file, ...at(e.pos[0]), message: e.message, source: 'file' as const,
  }));

  let value: unknown;
  if (problems.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      // toJS refuses alias bombs; the file is unusable, say why.
      problems.push({ file, line: 1, column: 1, message: (err as Error).message, source: 'file' });
    }
  }

  const start = at(0);
  return {
    value,
    problems,
    locate: (path) => {
      const node = nearestNode(doc, path);
      return node?.range ? at(node.range[0]) : start;
    },
    locateKey: (path, key) => {
      const parent = nodeAt(doc, path);
      if (isMap(parent)) {
        for (const item of parent.items) {
          if (isPair(item) && isScalar(item.key) && String(item.key.value) === key && item.key.range) {
            return at(item.key.range[0]);
          }
        }
      }
      const node = nearestNode(doc, path);
      return node?.range ? at(node.range[0]) : start;
    },
    has: (path) => nodeAt(doc, path) !== undefined,
  };
}

/** The node at `path`, or undefined. An empty value (`key:` alone) counts as present. */
function nodeAt(doc: Document, path: readonly PropertyKey[]): Node | undefined {
  let node: unknown = doc.contents;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return undefined;
      // `key:` with no value: point at the key rather than at the empty end of the line.
      node = isScalar(pair.value) && pair.value.value === null && isScalar(pair.key) ? pair.key : pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
    } else {
      return undefined;
    }
    if (node === null || node === undefined) return undefined;
  }
  return (node ?? undefined) as Node | undefined;
}

function nearestNode(doc: Document, path: readonly PropertyKey[]): Node | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = nodeAt(doc, path.slice(0, n));
    if (node?.range) return node;
  }
  return undefined;
}
