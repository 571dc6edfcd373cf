/**
 * Polycom / Poly models: VVX and Trio phones provisioned by files (vendors.md §4), and the
 * HDX/Group video endpoints of the WeLink seed, which are configured by hand (video-endpoints.ts).
 * Line counts are Polycom's published registration counts per model.
 */
import type { ModelInfo } from './types.js';
import { VIDEO_ENDPOINTS } from './video-endpoints.js';

export interface PolycomModel extends ModelInfo {
  /** True for HDX/Group endpoints: no files, a settings sheet instead. */
  readonly video: boolean;
}

const PHONES: readonly (readonly [string, number])[] = [
  ['VVX101', 1], ['VVX150', 2], ['VVX201', 2], ['VVX250', 4], ['VVX300', 6], ['VVX310', 6], ['VVX350', 6],
  ['VVX400', 12], ['VVX410', 12], ['VVX450', 12], ['VVX500', 12], ['VVX501', 12], ['VVX600', 16], ['VVX601', 16],
  ['VVX1500', 6], ['Trio8500', 1], ['Trio8800', 1], ['TrioC60', 1],
];

function phoneAliases(name: string): string[] {
  // The User-Agent writes `VVX_400` and `Trio_8800`; admins write `VVX 400`.
  const split = name.replace(/^(VVX|Trio)(\w+)$/, '$1_$2');
  return [split, split.replace('_', ' '), split.replace('_', '-')];
}

export const POLYCOM_MODELS: readonly PolycomModel[] = [
  ...PHONES.map(([name, accounts]) => Object.freeze({ name, aliases: Object.freeze(phoneAliases(name)), accounts, video: false })),
  ...VIDEO_ENDPOINTS.filter((v) => v.vendor === 'polycom').map((v) =>
    Object.freeze({ name: v.name, aliases: v.aliases, accounts: 1, video: true }),
  ),
];

const BY_KEY: ReadonlyMap<string, PolycomModel> = new Map(
  POLYCOM_MODELS.flatMap((m) => [m.name, ...m.aliases].map((k) => [k.toLowerCase(), m] as const)),
);

export function findPolycomModel(name: string): PolycomModel | undefined {
  return BY_KEY.get(name.trim().toLowerCase());
}
