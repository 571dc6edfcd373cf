/**
 * The per-line view the Cisco flat-profile template (MPP `$MA.xml`, SPA) loops over: inventory
 * accounts mapped to Cisco's values (vendors.md §5.1). Kept here, not in the template, so the
 * mapping is data the tests pin and the template stays a plain list of elements.
 */
import type { ResolvedAccount, ResolvedDevice, SrtpMode, Transport } from '../inventory/types.js';
import type { FileSpec, ModelInfo } from './types.js';
import { attempt, checkSeconds, checkText, checkUrl, errorOf, lineSlots, sipTarget, varChecker, XML_TYPE, type LineSlot } from './kit.js';

/** `SIP_Transport_N_`: UDP/TCP/TLS/AUTO (default UDP [C] CS-MPP 7832); AUTO follows NAPTR/SRV. */
export const CISCO_TRANSPORT: Readonly<Record<Transport, string>> = { udp: 'UDP', tcp: 'TCP', tls: 'TLS', 'dns-srv': 'AUTO' };

/**
 * `Secure_Call_Setting_N_`: Cisco has one switch, so optional and required SRTP both turn it on
 * (offering SRTP is what both ask for) [I]; `SRTP_Method` is then `s-descriptor` (RFC 4568 SDES).
 */
export const CISCO_SECURE_CALL: Readonly<Record<SrtpMode, string>> = { off: 'No', optional: 'Yes', required: 'Yes' };

export interface CiscoLine {
  readonly n: number;
  readonly enabled: boolean;
  readonly account: ResolvedAccount | null;
  /** `Proxy_N_`: registrar, with its port unless DNS SRV picks it. */
  readonly proxy: string;
  readonly outbound_proxy: string;
  readonly transport: string;
  readonly dns_srv: string;
  readonly secure_call: string;
}

/** One view per line key of the model; unused lines come out disabled with empty values. */
export function ciscoLines(slots: readonly LineSlot[]): CiscoLine[] {
  return slots.map(({ n, account }) => {
    if (!account) {
      return { n, enabled: false, account: null, proxy: '', outbound_proxy: '', transport: 'UDP', dns_srv: 'No', secure_call: 'No' };
    }
    const srv = account.transport === 'dns-srv' || account.dns_mode !== 'a';
    return {
      n,
      enabled: true,
      account,
      proxy: sipTarget(account.registrar, account),
      outbound_proxy: account.outbound_proxy ? sipTarget(account.outbound_proxy, account) : '',
      transport: CISCO_TRANSPORT[account.transport],
      dns_srv: srv ? 'Yes' : 'No',
      secure_call: CISCO_SECURE_CALL[account.srtp],
    };
  });
}

/**
 * Variables the Cisco templates read (all optional):
 *   cisco_server_url       where `$PSN.xml`/`spa$PSN.cfg` send the phone for its `$MA.xml`,
 *                          default the daemon's provisioning URL; `$MA` is left for the phone
 *   cisco_resync_seconds   `Resync_Periodic` (phone default 3600)
 *   ntp_server             `Primary_NTP_Server`
 *   cisco_callmanager      enterprise: host in `XMLDefault.cnf.xml` and `SEP<MAC>.cnf.xml`
 *                          (default each line's registrar, else the daemon's host)
 */
export const ciscoVarProblems = varChecker({
  cisco_server_url: checkUrl,
  cisco_resync_seconds: checkSeconds,
  ntp_server: checkText,
  cisco_callmanager: checkText,
});

/**
 * The device's own `$MA.xml` flat profile (MPP and SPA share the format): every line up to the
 * model's count; when the accounts cannot be written the file carries the reason instead.
 */
export function ciscoFlatProfile(device: ResolvedDevice, model: ModelInfo, modelVars: Record<string, unknown>): FileSpec {
  const lines = attempt(() => ciscoLines(lineSlots(device, model)));
  const vars = { model: modelVars, lines: lines.value ?? [] };
  return { name: `${device.mac}.xml`, template: 'cisco/flat-profile.xml.liquid', secret: true, contentType: XML_TYPE, vars, ...errorOf(lines) };
}
