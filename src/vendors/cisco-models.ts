/**
 * Cisco model tables, one per firmware family, as data (vendors.md §5). Line counts: MPP 78xx/88xx
 * from WZP's `wazo_cisco_sip` plugin-info (7811 1, 7821 2, 7832 1, 7841 4, 7861 16, 88xx 10);
 * 68xx, SPA and enterprise counts are the line keys of Cisco's data sheets [U: not in vendors.md].
 */
import type { ModelInfo } from './types.js';

export interface CiscoMppModel extends ModelInfo {
  /** The four digits `$PSN` carries (`7841`): the phone asks for `7841-3PCC.xml` or `7841.xml`. */
  readonly psn: string;
}

export interface CiscoSpaModel extends ModelInfo {
  /** `$PSN` of an SPA (`504G`): the phone asks for `spa504G.cfg`, in either case. */
  readonly psn: string;
}

const MPP_ROWS: readonly (readonly [string, number])[] = [
  ['6821', 2], ['6841', 4], ['6851', 4], ['6861', 4], ['6871', 6],
  ['7811', 1], ['7821', 2], ['7832', 1], ['7841', 4], ['7861', 16],
  ['8811', 10], ['8841', 10], ['8845', 10], ['8851', 10], ['8861', 10], ['8865', 10],
];

/** MPP / 3PCC phones: canonical `CP-7841-3PCC` (the `$PN` the phone reports), aliases `7841`... */
export const CISCO_MPP_MODELS: readonly CiscoMppModel[] = MPP_ROWS.map(([psn, accounts]) =>
  Object.freeze({
    name: `CP-${psn}-3PCC`,
    aliases: Object.freeze([psn, `CP-${psn}`, `${psn}-3PCC`, `CP${psn}`]),
    accounts,
    psn,
  }),
);

const SPA_ROWS: readonly (readonly [string, number])[] = [
  ['301', 1], ['303', 3], ['501G', 8], ['502G', 1], ['504G', 4], ['508G', 8], ['509G', 12],
  ['512G', 1], ['514G', 4], ['525G', 5], ['525G2', 5],
];

/** SPA3xx/5xx phones: canonical `SPA504G`, aliases `SPA-504G`, `504G`. */
export const CISCO_SPA_MODELS: readonly CiscoSpaModel[] = SPA_ROWS.map(([psn, accounts]) =>
  Object.freeze({ name: `SPA${psn}`, aliases: Object.freeze([`SPA-${psn}`, psn]), accounts, psn }),
);

const ENTERPRISE_ROWS: readonly (readonly [string, number])[] = [
  ['6921', 2], ['6941', 4], ['6945', 4], ['6961', 12],
  ['7941G', 2], ['7942G', 2], ['7945G', 2], ['7961G', 6], ['7962G', 6], ['7965G', 6], ['7970G', 8], ['7975G', 8],
  ['8961', 5], ['9951', 5], ['9971', 6],
];

/**
 * Enterprise (CUCM-firmware SIP) phones that read `SEP<MAC>.cnf.xml`: canonical `CP-7941G`,
 * aliases `7941G`, `7941`. 88xx on enterprise firmware share names with MPP and are left out.
 */
export const CISCO_ENTERPRISE_MODELS: readonly ModelInfo[] = ENTERPRISE_ROWS.map(([code, accounts]) => {
  const digits = code.replace(/G$/, '');
  const aliases = new Set([code, `CP${code}`, digits, `CP-${digits}`]);
  aliases.delete(`CP-${code}`);
  return Object.freeze({ name: `CP-${code}`, aliases: Object.freeze([...aliases]), accounts });
});
