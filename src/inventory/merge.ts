/** Variable merging and freezing for the resolved inventory. */

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function mergeInto(target: Plain, source: Readonly<Plain>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isPlainObject(existing) && isPlainObject(value)) {
      // Copy before descending so a later layer never writes into an object another device shares.
      const copy: Plain = { ...existing };
      mergeInto(copy, value);
      target[key] = copy;
    } else {
      target[key] = value;
    }
  }
}

/**
 * Merges variable layers, later layers winning: plain objects merge key by key, anything else
 * (arrays included) replaces. Inputs are not modified; key order is first-definition order.
 */
export function mergeVars(...layers: readonly (Readonly<Plain> | null | undefined)[]): Plain {
  const out: Plain = {};
  for (const layer of layers) if (layer) mergeInto(out, layer);
  return out;
}

/** Freezes a value and everything reachable from it; already frozen parts are skipped. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
