/**
 * Cisco enterprise phones on CUCM-mode SIP firmware (79xx, 69xx, 89xx/99xx), vendors.md §5.2.
 *
 * Boot over TFTP (option 150 or 66): `CTLSEP<MAC>.tlv` and `ITLSEP<MAC>.tlv` (trust lists; provd
 * has none to give, so 404 and the phone goes on in non-secure mode), then `SEP<MAC>.cnf.xml`
 * (upper-case MAC; the device's lines and passwords: secret), and a phone that is not in the
 * inventory falls back to `XMLDefault.cnf.xml` (auto-registration; no credentials).
 * Lookups ignore case, so the one 7902G guide that writes the MAC lower-case is served too.
 *
 * No User-Agent is known for these phones (they fetch over TFTP; vendors.md §1.2 has none), so
 * they are identified by the MAC in the file name only.
 */
import { macUpper } from '../core/mac.js';
import type { ResolvedAccount, ResolvedDevice, Transport } from '../inventory/types.js';
import type { ServerInfo } from '../render/context.js';
import { ciscoVarProblems } from './cisco-flat.js';
import { CISCO_ENTERPRISE_MODELS } from './cisco-models.js';
import { attempt, baseUrl, errorOf, lineSlots, macInNameBy, modelFinder, portOf, requireModel, XML_TYPE } from './kit.js';
import type { FileSpec, ProvisioningScheme, VendorModule } from './types.js';

export const findCiscoEnterpriseModel = modelFinder(CISCO_ENTERPRISE_MODELS);

/** `<transportLayerProtocol>` (WZP: tcp 1, udp 2, tls 3); DNS SRV has no code, UDP is used. */
export const CISCO_SEP_TRANSPORT: Readonly<Record<Transport, number>> = { tcp: 1, udp: 2, tls: 3, 'dns-srv': 2 };

const MAC_NAME = /^(?:CTL|ITL)?SEP([0-9a-f]{12})\.(?:cnf\.xml|tlv)$/i;

interface SepLine {
  readonly n: number;
  readonly account: ResolvedAccount;
  readonly port: number;
}

function deviceFiles(device: ResolvedDevice): readonly FileSpec[] {
  const model = requireModel(device, findCiscoEnterpriseModel, 'Cisco enterprise', CISCO_ENTERPRISE_MODELS);
  const built = attempt(() =>
    lineSlots(device, model).flatMap(({ n, account }): SepLine[] =>
      account ? [{ n, account, port: portOf(account.registrar, account.transport) }] : [],
    ),
  );
  const lines = built.value ?? [];
  const first = lines[0]?.account;
  const vars = {
    model: { name: model.name, accounts: model.accounts },
    lines,
    sep: {
      transport: first ? CISCO_SEP_TRANSPORT[first.transport] : CISCO_SEP_TRANSPORT.udp,
      callmanager: first?.registrar.host ?? null,
    },
  };
  return [
    { name: `SEP${macUpper(device.mac)}.cnf.xml`, template: 'cisco/sep.cnf.xml.liquid', secret: true, contentType: XML_TYPE, vars, ...errorOf(built) },
  ];
}

function sharedFiles(): readonly FileSpec[] {
  return [{ name: 'XMLDefault.cnf.xml', template: 'cisco/xmldefault.cnf.xml.liquid', secret: false, contentType: XML_TYPE }];
}

/** Enterprise phones take a TFTP server, not a URL: only the TFTP root is handed out. */
function provisioningUrl(server: ServerInfo, scheme: ProvisioningScheme): string | undefined {
  if (scheme !== 'tftp') return undefined;
  const base = baseUrl(server, scheme);
  return base === undefined ? undefined : `${base}/`;
}

/** The Cisco enterprise (SEP) vendor module. */
export const ciscoEnterprise: VendorModule = {
  id: 'cisco-enterprise',
  displayName: 'Cisco enterprise',
  models: CISCO_ENTERPRISE_MODELS,
  findModel: findCiscoEnterpriseModel,
  parseUserAgent: () => undefined,
  sharedFiles,
  deviceFiles,
  macInName: macInNameBy(MAC_NAME),
  matchUpload: () => undefined,
  pnFolders: () => [],
  varProblems: ciscoVarProblems,
  // Cisco sells phones under many OUIs and vendors.md lists none for this family: classify by VCI.
  ouis: [],
  provisioningUrl,
  // `Event: service-control` both ways; the text/plain body says `action=restart` (re-download)
  // or `action=reset` (reboot), which the NotifyEvents seam has no field for yet (vendors.md §1.4).
  notify: { resync: 'service-control', reboot: 'service-control' },
};
