/** Profile selection by rule: the most specific matching profile wins, ties broken by name. */

/** A profile's `match` with vendor and model already canonical. */
export interface MatchRule {
  readonly profile: string;
  readonly vendor?: string;
  readonly model?: string;
  readonly site?: string;
  readonly labels?: readonly string[];
}

export interface DeviceFacts {
  readonly vendor: string;
  readonly model: string;
  readonly site: string | undefined;
  readonly labels: readonly string[];
}

function specificity(rule: MatchRule): number {
  return (
    (rule.vendor !== undefined ? 1 : 0) +
    (rule.model !== undefined ? 1 : 0) +
    (rule.site !== undefined ? 1 : 0) +
    (rule.labels !== undefined ? 1 : 0)
  );
}

function matches(rule: MatchRule, device: DeviceFacts): boolean {
  if (rule.vendor !== undefined && rule.vendor !== device.vendor) return false;
  if (rule.model !== undefined && rule.model !== device.model) return false;
  if (rule.site !== undefined && rule.site !== device.site) return false;
  if (rule.labels !== undefined && !rule.labels.every((l) => device.labels.includes(l))) return false;
  return true;
}

/** Chooses profiles for devices that name none. Construct once per load; `select` is cheap. */
export class ProfileSelector {
  readonly #rules: readonly MatchRule[];

  constructor(rules: readonly MatchRule[]) {
    // Most match keys first, then by name (code-point order, not locale: same result everywhere).
    this.#rules = [...rules].sort(
      (a, b) => specificity(b) - specificity(a) || (a.profile < b.profile ? -1 : a.profile > b.profile ? 1 : 0),
    );
  }

  /** The profile the rules pick for this device, or undefined when none matches. */
  select(device: DeviceFacts): string | undefined {
    return this.#rules.find((rule) => matches(rule, device))?.profile;
  }
}
