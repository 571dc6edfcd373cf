/**
 * One account line as Grandstream P-values: the vendor-neutral account translated to the
 * phone's codes and units. Registration expiry is seconds in the inventory and **minutes** in
 * P32 (seed 000: "Register Expiration (in minutes. default 1 hour)", 60).
 */
import type { Mac } from '../core/mac.js';
import type { ResolvedAccount } from '../inventory/types.js';
import { accountPValues, type AccountField } from './grandstream-pvalues.js';

/** P130: 0 UDP, 1 TCP, 2 TLS/TCP. DNS-SRV is a DNS mode on Grandstream, carried over UDP. */
const TRANSPORT = { udp: 0, tcp: 1, tls: 2, 'dns-srv': 0 } as const;
/** P183: 0 disabled, 1 enabled but not forced, 2 enabled and forced. */
const SRTP = { off: 0, optional: 1, required: 2 } as const;
/** P103: 0 A record, 1 SRV, 2 NAPTR/SRV. */
const DNS_MODE = { a: 0, srv: 1, naptr: 2 } as const;
/** P26040: 0 default, 1 saved one until DNS TTL, 2 saved one until no response, 3 failback timer. */
const DNS_FAILOVER = { default: 0, saved_until_ttl: 1, saved_until_no_response: 2, failback_timer: 3 } as const;

/** Whole minutes for P32, rounded up so a phone never registers for less than asked. */
export function expiresMinutes(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}

/** The seed's default account name: the MAC's last four hex digits, upper case (`6E2C`). */
export function defaultAccountName(mac: Mac, line: number): string {
  const tail = mac.slice(-4).toUpperCase();
  return line === 1 ? tail : `${tail}-${line}`;
}

export interface AccountDefaults {
  readonly specialFeature: number;
  readonly natTraversal: number;
  readonly callerIdDisplay: number;
  readonly localCallFeatures: boolean;
  readonly srtpKeyLength: number;
}

export interface GrandstreamAccount {
  readonly line: number;
  /** `[P-name, value]` in the order the seed's template lists them. */
  readonly values: readonly (readonly [string, string])[];
}

/** The account line as ordered `[P-name, value]` pairs (seed template order). */
export function grandstreamAccount(mac: Mac, account: ResolvedAccount, d: AccountDefaults): GrandstreamAccount {
  const p = accountPValues(account.line);
  const name = account.vars['grandstream_account_name'];
  const dnsMode = account.transport === 'dns-srv' && account.dns_mode === 'a' ? 2 : DNS_MODE[account.dns_mode];
  const fields: readonly (readonly [AccountField, string | number])[] = [
    ['active', 1],
    ['name', typeof name === 'string' && name !== '' ? name : defaultAccountName(mac, account.line)],
    ['user_id', account.user],
    ['auth_id', account.auth_id],
    ['password', account.password],
    ['display_name', account.display_name],
    ['sip_server', account.registrar.text],
    ['outbound_proxy', account.outbound_proxy?.text ?? ''],
    ['dns_mode', dnsMode],
    ['dns_failover', DNS_FAILOVER[account.dns_failover]],
    ['registration', 1],
    ['expires', expiresMinutes(account.expires)],
    ['transport', TRANSPORT[account.transport]],
    ['srtp', SRTP[account.srtp]],
    ['srtp_key_length', d.srtpKeyLength],
    ['session_timer', account.session_timer ? 1 : 0],
    ['caller_id_display', d.callerIdDisplay],
    ['nat_traversal', d.natTraversal],
    ['local_call_features', d.localCallFeatures ? 1 : 0],
    ['special_feature', d.specialFeature],
  ];
  return { line: account.line, values: fields.map(([f, v]) => [p[f], String(v)] as const) };
}
