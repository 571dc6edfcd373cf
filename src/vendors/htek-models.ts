/**
 * Htek model table and account P-value numbers (vendors.md §8; WZP `wazo_htek` v2.0.4.4.58).
 * `code` is the NN of the model-wide `cfg00NN.xml`; line counts are WZP's plugin-info.
 */
import type { ModelInfo } from './types.js';

export interface HtekModel extends ModelInfo {
  /** Four digits of the model-wide file name (`0016` for `cfg0016.xml`). */
  readonly code: string;
}

const ROWS: readonly (readonly [string, string, number, readonly string[]])[] = [
  ['UC926', '0010', 16, ['UC926E']],
  ['UC924', '0012', 12, ['UC924E']],
  ['UC923', '0013', 8, []],
  ['UC903', '0016', 6, []],
  ['UC902', '0017', 4, []],
  ['UC912', '0019', 4, ['UC912E', 'UC912G']],
];

export const HTEK_MODELS: readonly HtekModel[] = ROWS.map(([name, code, accounts, aliases]) =>
  Object.freeze({ name, code, accounts, aliases: Object.freeze([...aliases]) }),
);

/** The P-values of one account: Htek numbers accounts 1-6 irregularly, 7-16 by a stride. */
export interface HtekAccountKeys {
  readonly active: number;
  readonly profile: number;
  readonly label: number;
  readonly user: number;
  readonly auth_id: number;
  readonly password: number;
  readonly display_name: number;
}

const FIRST_SIX: readonly HtekAccountKeys[] = [
  { active: 271, profile: 24082, label: 20000, user: 35, auth_id: 36, password: 34, display_name: 3 },
  { active: 401, profile: 24083, label: 20001, user: 735, auth_id: 736, password: 734, display_name: 703 },
  { active: 501, profile: 24084, label: 20002, user: 504, auth_id: 505, password: 506, display_name: 507 },
  { active: 601, profile: 24085, label: 20003, user: 604, auth_id: 605, password: 606, display_name: 607 },
  { active: 20360, profile: 24086, label: 20378, user: 1704, auth_id: 1705, password: 1706, display_name: 1707 },
  { active: 20361, profile: 24087, label: 20379, user: 1804, auth_id: 1805, password: 1806, display_name: 1807 },
];

/** P-values of account `line` (1-16). */
export function htekAccountKeys(line: number): HtekAccountKeys {
  const fixed = FIRST_SIX[line - 1];
  if (fixed) return fixed;
  if (line < 1 || line > 16 || !Number.isInteger(line)) throw new Error(`Htek phones have accounts 1-16, not ${line}`);
  const i = line - 7;
  return {
    active: 24090 + i,
    profile: 24088 + i,
    label: 24100 + i,
    user: 24110 + i,
    auth_id: 24120 + i,
    password: 24130 + i,
    display_name: 24140 + i,
  };
}
