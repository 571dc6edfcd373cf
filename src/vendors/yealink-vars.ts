/**
 * The inventory variables the shipped Yealink templates read (listed in yealink.ts), checked up
 * front so a bad value is an inventory error with the variable's name instead of a strange line
 * in a phone's config. Unset variables are fine: the templates fall back to the seed defaults.
 */

import { varChecker, type VarCheck as Check } from './kit.js';

const zeroOrOne: Check = (v) => (v === 0 || v === 1 ? undefined : 'must be 0 or 1');
const bool: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');
const text: Check = (v) =>
  typeof v === 'string' && v.trim() !== '' && !/[\r\n\0]/.test(v) ? undefined : 'must be a one-line, non-empty string';
const url: Check = (v) =>
  text(v) ?? (/^(?:tftp|ftp|ftps|http|https):\/\/\S+$/i.test(v as string) ? undefined : 'must be a tftp/ftp/http(s) URL without spaces');
const minutes: Check = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 43200 ? undefined : 'must be a whole number of minutes (1-43200)';
const timeZone: Check = (v) =>
  typeof v === 'string' && /^[+-]\d{1,2}(?::\d{2})?$/.test(v) ? undefined : 'must be an offset such as "+8", "-5" or "+5:30"';

const CHECKS: Readonly<Record<string, Check>> = {
  yealink_overwrite_mode: zeroOrOne,
  yealink_excluded_mode: zeroOrOne,
  yealink_server_url: url,
  yealink_repeat_minutes: minutes,
  ntp_server: text,
  yealink_time_zone: timeZone,
  yealink_time_zone_name: text,
  yealink_reboot_force: bool,
  yealink_custom_protect: bool,
  yealink_custom_sync: bool,
  yealink_pin_url: (v) => url(v) ?? (String(v).includes('$pin') ? undefined : 'must contain $pin (e.g. http://prov/act/sales/$pin.cfg)'),
};

/** Names of the variables the Yealink templates read. */
export const YEALINK_VARIABLES: readonly string[] = Object.keys(CHECKS);

/** One message per bad Yealink variable in `vars` (`yealink_overwrite_mode must be 0 or 1, got 2`). */
export const yealinkVarProblems = varChecker(CHECKS);
