/**
 * Fanvil X-series model table (vendors.md §6, §1.1). `commonFile` is the fixed model-wide name the
 * phone asks for before `<mac>.cfg`, from WZP `wazo_fanvil/serie_x/entry.py`; models WZP lists
 * without one (X4U, X5U, X6U, X210) go straight to `<mac>.cfg`. Line counts are Fanvil's data
 * sheets [U: vendors.md gives none].
 */
import type { ModelInfo } from './types.js';

export interface FanvilModel extends ModelInfo {
  readonly commonFile: string | null;
}

const ROWS: readonly (readonly [string, number, string | null, readonly string[]])[] = [
  ['X2', 2, 'f0X2hw1.100.cfg', []],
  ['X3', 2, 'F0V00X300000.cfg', []],
  ['X3S', 2, 'f0X3shw1.100.cfg', []],
  ['X3SG', 4, 'f0X3sghw1.100.cfg', []],
  ['X4', 4, 'f0X4hw1.100.cfg', []],
  ['X5', 6, 'f0X5hw1.100.cfg', []],
  ['X5S', 6, 'F0V00X5S0000.cfg', []],
  ['X6', 6, 'F0V00X600000.cfg', []],
  ['X6V2', 6, 'F0000X600000.cfg', ['X6-V2']],
  ['X4U', 12, null, ['X4U-Pro', 'X4U Pro', 'X4U-V2']],
  ['X5U', 16, null, ['X5U-Pro', 'X5U Pro', 'X5U-V2']],
  ['X6U', 20, null, ['X6U-Pro', 'X6U Pro', 'X6U-V2']],
  ['X210', 20, null, ['X210-Pro', 'X210 Pro', 'X210i', 'X210i-Pro']],
];

/** Fanvil models provd knows, canonical name first. */
export const FANVIL_MODELS: readonly FanvilModel[] = ROWS.map(([name, accounts, commonFile, aliases]) =>
  Object.freeze({ name, aliases: Object.freeze([...aliases]), accounts, commonFile }),
);
