/**
 * Query-string checking for the admin API: every parameter is checked and every problem is
 * collected, so a 400 lists all of them at once instead of one per round trip.
 */
import { parseMac, type Mac } from '../core/mac.js';

export interface ParamProblem {
  readonly param: string;
  readonly problem: string;
}

/** Reads typed values out of URLSearchParams, remembering what was wrong and what was unknown. */
export class Params {
  readonly problems: ParamProblem[] = [];
  readonly #q: URLSearchParams;
  readonly #known = new Set<string>();

  constructor(q: URLSearchParams) {
    this.#q = q;
  }

  #one(name: string): string | undefined {
    this.#known.add(name);
    const all = this.#q.getAll(name);
    if (all.length > 1) this.problems.push({ param: name, problem: 'given more than once' });
    return all[0];
  }

  string(name: string, max = 200): string | undefined {
    const v = this.#one(name);
    if (v === undefined) return undefined;
    if (v === '' || v.length > max) {
      this.problems.push({ param: name, problem: `expected 1 to ${max} characters` });
      return undefined;
    }
    return v;
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const v = this.#one(name);
    if (v === undefined) return undefined;
    if (!(values as readonly string[]).includes(v)) {
      this.problems.push({ param: name, problem: `expected one of ${values.join(', ')}` });
      return undefined;
    }
    return v as T;
  }

  int(name: string, min: number, max: number): number | undefined {
    const v = this.#one(name);
    if (v === undefined) return undefined;
    const n = /^\d{1,15}$/.test(v) ? Number(v) : NaN;
    if (!(n >= min && n <= max)) {
      this.problems.push({ param: name, problem: `expected a whole number from ${min} to ${max}` });
      return undefined;
    }
    return n;
  }

  mac(name: string): Mac | undefined {
    const v = this.#one(name);
    if (v === undefined) return undefined;
    const mac = parseMac(v);
    if (!mac) this.problems.push({ param: name, problem: 'expected a MAC address such as 805ec0d57d72' });
    return mac;
  }

  /** An ISO 8601 time with a zone (or a date, read as UTC midnight), as ms since the epoch. */
  time(name: string): number | undefined {
    const v = this.#one(name);
    if (v === undefined) return undefined;
    const ok = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(v);
    const t = ok ? Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v) : NaN;
    if (Number.isNaN(t)) {
      this.problems.push({ param: name, problem: 'expected an ISO time such as 2024-05-01 or 2024-05-01T08:00:00Z' });
      return undefined;
    }
    return t;
  }

  /** Call last: parameters nobody asked for are problems too (a typo must not be ignored). */
  finish(): readonly ParamProblem[] {
    for (const name of new Set(this.#q.keys())) {
      if (!this.#known.has(name)) this.problems.push({ param: name, problem: 'unknown parameter' });
    }
    return this.problems;
  }
}
