/**
 * Which P-value holds which account setting, per account line (vendors.md §3.4).
 *
 * Account 1 uses the numbers of the Zoom seed's template (seed 000). Account 2 uses the numbers
 * of FPBX's WP810 template (P401 active, P402 SIP server, P403 outbound proxy, P404 user ID,
 * P405 auth ID, P406 password, P407 name, P408 DNS mode, P410 registration, P412 expiry, P414
 * NAT, P417 account name, P420 local call features, P424 special feature, P443 SRTP, P448
 * transport, P2424 caller ID, P2483 SRTP key length, P2495 session timer, P26140 SRV fail-over),
 * which also match WZP's base.tpl (`P<N+2>01`...). Accounts 3-6 follow WZP's rule [I]: the
 * 4xx block moves to (N+2)xx, 23xx to 2(N+2)xx and 26xxx to 26(N-1)xx.
 */

/** Settings of one account line, by meaning. */
export type AccountField =
  | 'active'
  | 'name'
  | 'sip_server'
  | 'outbound_proxy'
  | 'user_id'
  | 'auth_id'
  | 'password'
  | 'display_name'
  | 'dns_mode'
  | 'dns_failover'
  | 'registration'
  | 'expires'
  | 'transport'
  | 'srtp'
  | 'srtp_key_length'
  | 'session_timer'
  | 'caller_id_display'
  | 'nat_traversal'
  | 'local_call_features'
  | 'special_feature';

const ACCOUNT_1: Readonly<Record<AccountField, number>> = {
  active: 271,
  name: 270,
  sip_server: 47,
  outbound_proxy: 48,
  user_id: 35,
  auth_id: 36,
  password: 34,
  display_name: 3,
  dns_mode: 103,
  dns_failover: 26040,
  registration: 31,
  expires: 32,
  transport: 130,
  srtp: 183,
  srtp_key_length: 2383,
  session_timer: 2395,
  caller_id_display: 2324,
  nat_traversal: 52,
  local_call_features: 191,
  special_feature: 198,
};

/** Account 2 numbers with the block they belong to, so accounts 3+ can be derived. */
const ACCOUNT_2: Readonly<Record<AccountField, number>> = {
  active: 401,
  name: 417,
  sip_server: 402,
  outbound_proxy: 403,
  user_id: 404,
  auth_id: 405,
  password: 406,
  display_name: 407,
  dns_mode: 408,
  dns_failover: 26140,
  registration: 410,
  expires: 412,
  transport: 448,
  srtp: 443,
  srtp_key_length: 2483,
  session_timer: 2495,
  caller_id_display: 2424,
  nat_traversal: 414,
  local_call_features: 420,
  special_feature: 424,
};

/** Highest account line the numbering is known for. */
export const GRANDSTREAM_MAX_ACCOUNT_LINE = 6;

// Each block moves by 100 per line: 401 -> 501, 2424 -> 2524, 26140 -> 26240 (line 3).
function shift(p2: number, line: number): number {
  return p2 + 100 * (line - 2);
}

/** `P`-names of every field for account `line` (1-based), e.g. `{ active: 'P271', ... }`. */
export function accountPValues(line: number): Readonly<Record<AccountField, string>> {
  if (!Number.isInteger(line) || line < 1 || line > GRANDSTREAM_MAX_ACCOUNT_LINE) {
    throw new Error(`Grandstream account line ${line} has no known P-value numbering (1-${GRANDSTREAM_MAX_ACCOUNT_LINE})`);
  }
  const out: Partial<Record<AccountField, string>> = {};
  for (const field of Object.keys(ACCOUNT_1) as AccountField[]) {
    const n = line === 1 ? ACCOUNT_1[field] : shift(ACCOUNT_2[field], line);
    out[field] = `P${n}`;
  }
  return out as Record<AccountField, string>;
}
