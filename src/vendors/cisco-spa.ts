/**
 * Cisco (ex-Linksys) SPA3xx/5xx phones, vendors.md §5.1. The phone asks for `spa$PSN.cfg`
 * (`spa504G.cfg`; WZP writes the model letter upper-case, other sources lower, so the catalog's
 * case-insensitive lookup answers both). That file holds no credentials and points
 * `Profile_Rule_B` at `<server>/$MA.xml`, the device's flat profile (secret), in the same
 * element names as MPP plus `Use_Auth_ID_N_`, which older SPA firmware needs to send Auth_ID.
 *
 * Real User-Agents (vendors.md §1.2, WZP):
 *   Cisco/SPA508G-7.4.4 (0002FDFF2103)(CBT141400UK)   MAC (upper) then serial number
 *   Cisco/SPA525G-7.4.7 (CBT141900G7)                 serial number only: MAC from the path
 *   Linksys/SPA-942-6.1.5(a) (88019FA42805)           Linksys-era firmware
 */
import type { ResolvedDevice } from '../inventory/types.js';
import type { ServerInfo } from '../render/context.js';
import { ciscoFlatProfile, ciscoVarProblems } from './cisco-flat.js';
import { CISCO_SPA_MODELS, type CiscoSpaModel } from './cisco-models.js';
import { baseUrl, macOfHex, macInNameBy, modelFinder, requireModel, XML_TYPE } from './kit.js';
import type { FileSpec, ProvisioningScheme, UserAgentInfo, VendorModule } from './types.js';

export const findCiscoSpaModel = modelFinder(CISCO_SPA_MODELS);

// `Cisco/<model>-<version> [(<MAC>)](<serial>)` (WZP), and the Linksys-branded form.
const UA = /^(?:Cisco|Linksys)\/(\w+(?:-\d+)?)-(\S+?)\s+(?:\(([0-9A-Fa-f]{12})\))?\((\w+)\)\s*$/;
const MAC_NAME = /^([0-9a-f]{12})\.xml$/i;

/** Parses an SPA User-Agent; the serial-only form carries no MAC. */
export function parseCiscoSpaUserAgent(userAgent: string): UserAgentInfo | undefined {
  const m = UA.exec(userAgent.trim());
  if (!m) return undefined;
  const [, raw = '', version = '', hex, serial = ''] = m;
  if (!/^SPA/i.test(raw)) return undefined;
  // A lone group of 12 hex digits is the MAC (Linksys form), not a serial like CBT141900G7.
  const mac = macOfHex(hex) ?? (/^[0-9A-Fa-f]{12}$/.test(serial) ? macOfHex(serial) : undefined);
  return { vendor: 'cisco-spa', model: findCiscoSpaModel(raw)?.name ?? raw, version, ...(mac ? { mac } : {}) };
}

function modelVars(model: CiscoSpaModel): Record<string, unknown> {
  return { name: model.name, psn: model.psn, accounts: model.accounts, family: 'spa' };
}

function sharedFiles(): readonly FileSpec[] {
  return CISCO_SPA_MODELS.map((model) => ({
    name: `spa${model.psn}.cfg`,
    template: 'cisco/profile-rule.xml.liquid',
    secret: false,
    contentType: XML_TYPE,
    vars: { model: modelVars(model) },
  }));
}

function deviceFiles(device: ResolvedDevice): readonly FileSpec[] {
  const model = requireModel(device, findCiscoSpaModel, 'Cisco SPA', CISCO_SPA_MODELS);
  return [ciscoFlatProfile(device, model, modelVars(model))];
}

/** WZP hands SPAs `<server>/spa$PSN.cfg` in option 66. */
function provisioningUrl(server: ServerInfo, scheme: ProvisioningScheme): string | undefined {
  const base = baseUrl(server, scheme);
  return base === undefined ? undefined : `${base}/spa$PSN.cfg`;
}

/** The Cisco SPA vendor module. */
export const ciscoSpa: VendorModule = {
  id: 'cisco-spa',
  displayName: 'Cisco SPA',
  models: CISCO_SPA_MODELS,
  findModel: findCiscoSpaModel,
  parseUserAgent: parseCiscoSpaUserAgent,
  sharedFiles,
  deviceFiles,
  macInName: macInNameBy(MAC_NAME),
  matchUpload: () => undefined,
  pnFolders: () => [],
  varProblems: ciscoVarProblems,
  // WZP's SPA DHCP classes, applied only when the phone sends no VCI (vendors.md §10.1).
  ouis: ['002699', '503de5', '00e16d', '00da55', '10bd18'],
  provisioningUrl,
  // FPBX sends `reboot=true` to SPAs; AST's sipura entries use resync / reboot_now (vendors.md §1.4).
  notify: { resync: 'resync', reboot: 'reboot_now' },
};
