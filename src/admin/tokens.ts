/**
 * Admin API tokens. They come from a file (one `<token> [scope,...]` a line) or an environment
 * variable, never from argv (visible to every local user in `ps`). Comparison hashes both sides
 * and uses timingSafeEqual, so neither the length nor a prefix of a token leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type Scope = 'read' | 'resync' | 'jobs' | 'secrets';
export const SCOPES: readonly Scope[] = ['read', 'resync', 'jobs', 'secrets'];

export interface TokenEntry {
  readonly digest: Buffer;
  readonly scopes: ReadonlySet<Scope>;
  /** Where it came from, for logs (`file:3`, `env`): never the token itself. */
  readonly origin: string;
}

export interface TokenSet {
  readonly entries: readonly TokenEntry[];
  readonly problems: readonly string[];
}

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/**
 * Parses a tokens file's text. Tokens shorter than 16 characters are refused (a problem, not a
 * silent skip): a short token is guessable over a loopback listener in minutes.
 */
export function parseTokens(text: string, origin: string): TokenSet {
  const entries: TokenEntry[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [token = '', scopeText, extra] = line.split(/\s+/);
    const where = `${origin}:${i + 1}`;
    if (extra !== undefined) {
      problems.push(`${where}: expected "<token> [scope,scope]", scopes separated by commas without spaces`);
      return;
    }
    if (token.length < 16) {
      problems.push(`${where}: token is shorter than 16 characters`);
      return;
    }
    const scopes = new Set<Scope>(['read']);
    for (const s of (scopeText ?? '').split(',').filter((x) => x !== '')) {
      if (!(SCOPES as readonly string[]).includes(s)) {
        problems.push(`${where}: unknown scope '${s}' (known: ${SCOPES.join(', ')})`);
        return;
      }
      scopes.add(s as Scope);
    }
    entries.push({ digest: digest(token), scopes, origin: where });
  });
  return { entries, problems };
}

/** The token from the environment: every scope but `secrets`. */
export function envToken(value: string | undefined, name: string): TokenSet {
  if (value === undefined || value === '') return { entries: [], problems: [] };
  if (value.length < 16) return { entries: [], problems: [`${name}: token is shorter than 16 characters`] };
  return { entries: [{ digest: digest(value), scopes: new Set<Scope>(['read', 'resync', 'jobs']), origin: 'env' }], problems: [] };
}

/** The entry whose token this is; every entry is compared so the time does not say which matched. */
export function matchToken(entries: readonly TokenEntry[], presented: string): TokenEntry | undefined {
  const d = digest(presented);
  let found: TokenEntry | undefined;
  for (const e of entries) if (timingSafeEqual(e.digest, d) && !found) found = e;
  return found;
}

/** The token in `Authorization: Bearer <token>`, else undefined. */
export function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}
