/**
 * Grandstream model table: canonical names, spellings phones and admins use, account lines.
 * WP810/WP822/WP825 come from the Zoom seed (000, "2 Accounts" template); the other rows are
 * Grandstream's published line counts for the GXP/GRP desk phones and the single-port HT801
 * ATA. Models with more than six accounts (GXP2135, GXV33xx) are left out on purpose: the
 * account-N P-value rule in grandstream-pvalues.ts is only known to hold up to account 6.
 */
import type { ModelInfo } from './types.js';

interface Row {
  readonly name: string;
  readonly accounts: number;
}

const ROWS: readonly Row[] = [
  { name: 'WP810', accounts: 2 },
  { name: 'WP822', accounts: 2 },
  { name: 'WP825', accounts: 2 },
  { name: 'GXP1610', accounts: 1 },
  { name: 'GXP1620', accounts: 2 },
  { name: 'GXP1625', accounts: 2 },
  { name: 'GXP1628', accounts: 2 },
  { name: 'GXP1630', accounts: 3 },
  { name: 'GXP2130', accounts: 3 },
  { name: 'GXP2140', accounts: 4 },
  { name: 'GXP2160', accounts: 6 },
  { name: 'GXP2170', accounts: 6 },
  { name: 'GRP2612', accounts: 2 },
  { name: 'GRP2613', accounts: 3 },
  { name: 'GRP2614', accounts: 4 },
  { name: 'GRP2616', accounts: 6 },
  { name: 'HT801', accounts: 1 },
];

/** Grandstream models provd renders `cfg<mac>.xml` for, in table order. */
export const GRANDSTREAM_MODELS: readonly ModelInfo[] = ROWS.map((r) =>
  Object.freeze({
    name: r.name,
    // `GXP-2135`, `gxp 2135` as typed in spreadsheets; the User-Agent sends the bare name.
    aliases: Object.freeze([r.name.replace(/^([A-Z]+)(\d)/, '$1-$2'), r.name.replace(/^([A-Z]+)(\d)/, '$1 $2')]),
    accounts: r.accounts,
  }),
);

const BY_KEY: ReadonlyMap<string, ModelInfo> = new Map(
  GRANDSTREAM_MODELS.flatMap((m) => [m.name, ...m.aliases].map((k) => [k.toLowerCase(), m] as const)),
);

/** The model this name or alias denotes, case-insensitively. */
export function findGrandstreamModel(name: string): ModelInfo | undefined {
  return BY_KEY.get(name.trim().toLowerCase());
}
