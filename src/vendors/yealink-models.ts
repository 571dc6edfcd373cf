/**
 * Yealink model table, transcribed from the seed (vendors.md §2.2 common-file names, §2.3 account
 * counts and `[MODEL]` boot-prefix tokens). The `y0000000000XX.cfg` code is fixed per model by this
 * table and is never derived from a firmware version: T41S/T42S/T48S share firmware 66.x yet have
 * files 68/67/65.
 */
import type { ModelInfo } from './types.js';

export interface YealinkModel extends ModelInfo {
  /** The XX of `y0000000000XX.cfg`, as written in the seed (`108`, `044`, `025`). */
  readonly code: string;
  /** Name of the model's common file (`y000000000108.cfg`). */
  readonly commonFile: string;
  /**
   * Token valid inside a `[MODEL]` prefix in boot and cfg files (fw >= 83), or null for the
   * models the seed gives none (W52P, W56P, W53P, W60P, CP930W-Base, CP860).
   */
  readonly token: string | null;
  /** Lowest firmware major (`84` = x.84.x.x) that reads boot files (seed support table). */
  readonly bootFirmware: number;
  /** Lowest firmware major that honours `specific_model.excluded_mode`; null = never. */
  readonly excludedModeFirmware: number | null;
}

interface Row {
  readonly name: string;
  readonly code: string;
  readonly accounts: number;
  readonly token: string | null;
  readonly bootFw: number;
  readonly excludedFw: number | null;
  readonly aliases?: readonly string[];
}

// Order follows the seed's file-name table, left column then right column. bootFw/excludedFw come
// from the seed's support table ("Boot 引导文件" / "排外模式" columns).
const ROWS: readonly Row[] = [
  { name: 'CP960', code: '073', accounts: 1, token: 'CP960', bootFw: 80, excludedFw: 83 },
  { name: 'VP59', code: '091', accounts: 16, token: 'VP59', bootFw: 83, excludedFw: 83, aliases: ['VP-59'] },
  { name: 'T58A', code: '058', accounts: 16, token: 'T58', bootFw: 80, excludedFw: 83, aliases: ['T58'] },
  { name: 'T57W', code: '097', accounts: 16, token: 'T57W', bootFw: 84, excludedFw: 84 },
  { name: 'T54W', code: '096', accounts: 16, token: 'T54W', bootFw: 84, excludedFw: 84 },
  { name: 'T53W', code: '095', accounts: 12, token: 'T53W', bootFw: 84, excludedFw: 84 },
  { name: 'T53', code: '095', accounts: 12, token: 'T53', bootFw: 84, excludedFw: 84 },
  { name: 'T48U', code: '109', accounts: 16, token: 'T48U', bootFw: 84, excludedFw: 84 },
  { name: 'T46U', code: '108', accounts: 16, token: 'T46U', bootFw: 84, excludedFw: 84 },
  { name: 'T43U', code: '107', accounts: 12, token: 'T43U', bootFw: 84, excludedFw: 84 },
  { name: 'T42U', code: '116', accounts: 6, token: 'T42U', bootFw: 84, excludedFw: 84 },
  { name: 'T29G', code: '046', accounts: 16, token: 'T29G', bootFw: 81, excludedFw: 83 },
  { name: 'T23P', code: '044', accounts: 3, token: 'T23P', bootFw: 81, excludedFw: 83 },
  { name: 'T23G', code: '044', accounts: 3, token: 'T23G', bootFw: 81, excludedFw: 83 },
  { name: 'T19P_E2', code: '053', accounts: 1, token: 'T19P_E2', bootFw: 81, excludedFw: 83,
    aliases: ['T19P E2', 'T19 E2', 'T19_E2', 'T19PE2'] },
  { name: 'CP920', code: '078', accounts: 1, token: 'CP920', bootFw: 81, excludedFw: null },
  { name: 'W52P', code: '025', accounts: 5, token: null, bootFw: 81, excludedFw: null },
  { name: 'W56P', code: '025', accounts: 5, token: null, bootFw: 81, excludedFw: null },
  { name: 'T48S', code: '065', accounts: 16, token: 'T48S', bootFw: 81, excludedFw: 83 },
  { name: 'T46S', code: '066', accounts: 16, token: 'T46S', bootFw: 81, excludedFw: 83 },
  { name: 'T42S', code: '067', accounts: 12, token: 'T42S', bootFw: 81, excludedFw: 83 },
  { name: 'T41S', code: '068', accounts: 6, token: 'T41S', bootFw: 81, excludedFw: 83 },
  { name: 'T48G', code: '035', accounts: 16, token: 'T48G', bootFw: 81, excludedFw: 83 },
  { name: 'T46G', code: '028', accounts: 16, token: 'T46G', bootFw: 81, excludedFw: 83 },
  { name: 'T42G', code: '029', accounts: 12, token: 'T42G', bootFw: 81, excludedFw: 83 },
  { name: 'T41P', code: '036', accounts: 6, token: 'T41P', bootFw: 81, excludedFw: 83 },
  { name: 'T40P', code: '054', accounts: 3, token: 'T40P', bootFw: 81, excludedFw: 83 },
  { name: 'T40G', code: '076', accounts: 3, token: 'T40G', bootFw: 81, excludedFw: 83 },
  { name: 'T27G', code: '069', accounts: 6, token: 'T27G', bootFw: 81, excludedFw: 83 },
  { name: 'T21P_E2', code: '052', accounts: 2, token: 'T21P_E2', bootFw: 81, excludedFw: 83,
    aliases: ['T21P E2', 'T21 E2', 'T21_E2', 'T21PE2'] },
  { name: 'CP860', code: '037', accounts: 1, token: null, bootFw: 81, excludedFw: null },
  { name: 'W53P', code: '077', accounts: 8, token: null, bootFw: 83, excludedFw: null },
  { name: 'W60P', code: '077', accounts: 8, token: null, bootFw: 81, excludedFw: null },
  { name: 'CP930W-Base', code: '077', accounts: 1, token: null, bootFw: 83, excludedFw: null,
    aliases: ['CP930W', 'CP930W_Base', 'CP930W Base'] },
];

/** Every spelling a phone, a spreadsheet or an admin may use for a model: `SIP-` forms too. */
function aliasesOf(row: Row): readonly string[] {
  const base = [row.name, ...(row.aliases ?? [])];
  const out = new Set<string>();
  for (const n of base) {
    if (n !== row.name) out.add(n);
    out.add(`SIP-${n}`);
  }
  return [...out];
}

/** The seed's Yealink models, in the seed's table order. */
export const YEALINK_MODELS: readonly YealinkModel[] = ROWS.map((row) =>
  Object.freeze({
    name: row.name,
    aliases: Object.freeze(aliasesOf(row)),
    accounts: row.accounts,
    code: row.code,
    commonFile: `y000000000${row.code}.cfg`,
    token: row.token,
    bootFirmware: row.bootFw,
    excludedModeFirmware: row.excludedFw,
  }),
);

const BY_KEY: ReadonlyMap<string, YealinkModel> = (() => {
  const map = new Map<string, YealinkModel>();
  for (const model of YEALINK_MODELS) {
    for (const key of [model.name, ...model.aliases]) map.set(key.toLowerCase(), model);
  }
  return map;
})();

/** The model this canonical name or alias denotes, case-insensitively; surrounding blanks ignored. */
export function findYealinkModel(name: string): YealinkModel | undefined {
  return BY_KEY.get(name.trim().toLowerCase());
}
