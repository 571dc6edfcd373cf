/**
 * Snom model table (vendors.md §7): the name is what the phone puts after `snom` in its file
 * names and User-Agent (`snomD785.htm`, `snomD785-SIP`). Identity (account) counts are Snom's
 * data sheets [U: vendors.md gives none].
 */
import type { ModelInfo } from './types.js';

const ROWS: readonly (readonly [string, number])[] = [
  ['D120', 2], ['D315', 4], ['D335', 12], ['D345', 12], ['D375', 12], ['D385', 12],
  ['D712', 4], ['D715', 4], ['D717', 6], ['D725', 12], ['D735', 12], ['D745', 12], ['D765', 12], ['D785', 12],
  ['300', 4], ['320', 12], ['360', 12], ['370', 12], ['710', 4], ['715', 4], ['720', 12], ['760', 12], ['821', 12], ['870', 12],
];

/** Snom models; aliases `snomD785` and `snom D785` so spreadsheets may write either. */
export const SNOM_MODELS: readonly ModelInfo[] = ROWS.map(([name, accounts]) =>
  Object.freeze({ name, aliases: Object.freeze([`snom${name}`, `snom ${name}`]), accounts }),
);
