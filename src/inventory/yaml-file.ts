/**
 * One inventory YAML file: parsed once, kept as a document so any later problem can point at the
 * line and column of the value (or key) it is about.
 */
import { LineCounter, isMap, isNode, isScalar, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import type { InventoryProblem } from './types.js';

/** Aliases one file may expand; far above honest use, far below a billion-laughs document. */
export const MAX_ALIAS_COUNT = 100;

export type YamlPath = readonly (string | number)[];

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A parsed file that can answer "where is this path?". */
export class YamlFile {
  readonly #doc: Document.Parsed;
  readonly #lines: LineCounter;
  readonly #text: string;

  private constructor(
    readonly file: string,
    text: string,
    doc: Document.Parsed,
    lines: LineCounter,
    /** Plain data (undefined for an empty file); only meaningful when `problems` has no error. */
    readonly data: unknown,
    readonly problems: readonly InventoryProblem[],
  ) {
    this.#text = text;
    this.#doc = doc;
    this.#lines = lines;
  }

  /** Parses `text`; syntax errors, duplicate keys and alias bombs become problems with positions. */
  static parse(file: string, text: string): YamlFile {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const problems: InventoryProblem[] = [];
    const at = (offset: number): Position => {
      const p = lines.linePos(offset);
      return { line: p.line, column: p.col };
    };
    for (const err of doc.errors) {
      problems.push({ file, ...at(err.pos[0]), message: `YAML: ${err.message}`, severity: 'error' });
    }
    for (const warn of doc.warnings) {
      problems.push({ file, ...at(warn.pos[0]), message: `YAML: ${warn.message}`, severity: 'warning' });
    }
    let data: unknown;
    if (doc.errors.length === 0) {
      try {
        data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (err) {
        // yaml throws a ReferenceError when aliases expand past maxAliasCount.
        const message = err instanceof Error ? err.message : String(err);
        problems.push({ file, line: 1, column: 1, message: `YAML: ${message}`, severity: 'error' });
      }
    }
    return new YamlFile(file, text, doc, lines, data ?? undefined, problems);
  }

  /** The node at `path`, or undefined. */
  node(path: YamlPath): Node | undefined {
    if (path.length === 0) return isNode(this.#doc.contents) ? this.#doc.contents : undefined;
    const found: unknown = this.#doc.getIn(path, true);
    return isNode(found) ? found : undefined;
  }

  /**
   * Position of the value at `path`; with `key`, of the map key `key` inside it. Falls back to the
   * nearest enclosing node that exists (a missing key points at its map), else line 1.
   */
  position(path: YamlPath, key?: string): Position {
    if (key !== undefined) {
      const map = this.node(path);
      if (isMap(map)) {
        const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
        if (pair && isNode(pair.key) && pair.key.range) return this.#pos(pair.key.range[0]);
      }
    }
    for (let n = path.length; n >= 0; n--) {
      const node = this.node(path.slice(0, n));
      if (node?.range) return this.#pos(node.range[0]);
    }
    return { line: 1, column: 1 };
  }

  /** The value at `path` exactly as written in the file (for messages about mistyped scalars). */
  sourceText(path: YamlPath): string | undefined {
    const node = this.node(path);
    if (!isScalar(node) || !node.range) return undefined;
    return this.#text.slice(node.range[0], node.range[1]);
  }

  #pos(offset: number): Position {
    const p = this.#lines.linePos(offset);
    return { line: p.line, column: p.col };
  }
}
