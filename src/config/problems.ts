/** Problems found while loading the config, each pointing at where the admin can fix it. */

export interface ConfigProblem {
  /** Absolute path of the config file, when the problem is in it (or in reading it). */
  readonly file?: string;
  /** 1-based. */
  readonly line?: number;
  /** 1-based. */
  readonly column?: number;
  readonly message: string;
  /** Where the bad value came from: the file, an environment variable or a flag. */
  readonly source: 'file' | 'env' | 'flag';
}

/** One line per problem, `file:line:column: message` when the location is known. */
export function formatProblem(p: ConfigProblem): string {
  if (p.file === undefined) return p.message;
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.column ?? 1}`;
  return `${where}: ${p.message}`;
}

const SOURCE_ORDER = { file: 0, env: 1, flag: 2 } as const;

/** File problems in reading order, then environment, then flags; stable otherwise. */
export function sortProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) =>
      SOURCE_ORDER[a.p.source] - SOURCE_ORDER[b.p.source] ||
      (a.p.line ?? 0) - (b.p.line ?? 0) ||
      (a.p.column ?? 0) - (b.p.column ?? 0) ||
      a.i - b.i)
    .map(({ p }) => p);
}
