/**
 * The inventory variables the shipped Grandstream templates read, checked when the inventory
 * loads so a bad value is an error with the variable's name, not a strange P-value on a phone.
 */

import { varChecker, type VarCheck as Check } from './kit.js';

const intIn = (lo: number, hi: number): Check => (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? undefined : `must be a whole number ${lo}-${hi}`;
const bool: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');
const text: Check = (v) =>
  typeof v === 'string' && v.trim() !== '' && !/[\r\n\0<>&]/.test(v) ? undefined : 'must be a one-line, non-empty string without <, > or &';
const url: Check = (v) =>
  text(v) ?? (/^(?:tftp|ftp|ftps|http|https):\/\/\S/i.test(v as string) ? undefined : 'must be a tftp/ftp(s)/http(s) URL');
// Prefix/postfix become part of a file name the phone asks for: one plain path segment.
const namePart: Check = (v) =>
  typeof v === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(v) ? undefined : 'must be 1-64 letters, digits, ".", "_" or "-"';

const CHECKS: Readonly<Record<string, Check>> = {
  grandstream_config_url: url,
  grandstream_firmware_url: url,
  grandstream_syslog_server: text,
  grandstream_syslog_level: intIn(0, 4),
  grandstream_send_sip_log: bool,
  grandstream_random_port: bool,
  grandstream_special_feature: intIn(100, 999),
  grandstream_nat_traversal: intIn(0, 5),
  grandstream_caller_id_display: intIn(0, 2),
  grandstream_local_call_features: bool,
  grandstream_srtp_key_length: intIn(0, 2),
  grandstream_config_prefix: namePart,
  grandstream_config_postfix: namePart,
  grandstream_disable_unused_lines: bool,
};

/** Names of the variables the Grandstream templates read. */
export const GRANDSTREAM_VARIABLES: readonly string[] = Object.keys(CHECKS);

/** One message per bad Grandstream variable in `vars`. */
export const grandstreamVarProblems = varChecker(CHECKS);
