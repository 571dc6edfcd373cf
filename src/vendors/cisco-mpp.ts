/**
 * Cisco MPP / 3PCC phones (68xx, 78xx, 88xx multiplatform firmware), vendors.md §5.1.
 *
 * Boot: the factory Profile_Rule is `/$PSN.xml`. Cisco's guides disagree on what `$PSN` expands
 * to, so every model's rule file is served under both `7841-3PCC.xml` (what WZP serves to real
 * phones) and `7841.xml`. That file holds no credentials: it sets `Profile_Rule_B` to
 * `<server>/$MA.xml`, `$MA` being the lower-case bare MAC the phone expands itself; `<mac>.xml`
 * is the device's flat profile with its lines (secret). A phone not in the inventory gets 404 on
 * `<mac>.xml`, which it counts as a failed resync while `Resync_Fails_On_FNF` is Yes.
 *
 * Real User-Agent (vendors.md §1.2, WZP): `Cisco-CP-7832-3PCC/11.0.1 (00562b043615)`.
 * Template variables: see `ciscoVarProblems` (cisco-flat.ts). FileSpec.vars add `model`
 * (name, psn, accounts) and `lines` (the per-line view), shadowing variables of those names.
 */
import type { ResolvedDevice } from '../inventory/types.js';
import type { ServerInfo } from '../render/context.js';
import { ciscoFlatProfile, ciscoVarProblems } from './cisco-flat.js';
import { CISCO_MPP_MODELS, type CiscoMppModel } from './cisco-models.js';
import { baseUrl, macOfHex, macInNameBy, modelFinder, requireModel, XML_TYPE } from './kit.js';
import type { FileSpec, ProvisioningScheme, UserAgentInfo, VendorModule } from './types.js';

export const findCiscoMppModel = modelFinder(CISCO_MPP_MODELS);

// `Cisco-CP-<4 digits>-3PCC/<version> (<mac>)` (WZP's pattern, MAC in either case).
const UA = /^Cisco-CP-(\d{4})-3PCC\/(\S+)\s+\(([0-9A-Fa-f]{12})\)\s*$/;
const MAC_NAME = /^([0-9a-f]{12})\.xml$/i;

/** Parses an MPP User-Agent; the model is the table's canonical name, or `CP-NNNN-3PCC` as sent. */
export function parseCiscoMppUserAgent(userAgent: string): UserAgentInfo | undefined {
  const m = UA.exec(userAgent.trim());
  if (!m) return undefined;
  const [, psn = '', version = '', hex] = m;
  const mac = macOfHex(hex);
  const model = findCiscoMppModel(psn)?.name ?? `CP-${psn}-3PCC`;
  return { vendor: 'cisco-mpp', model, version, ...(mac ? { mac } : {}) };
}

function modelVars(model: CiscoMppModel): Record<string, unknown> {
  return { name: model.name, psn: model.psn, accounts: model.accounts, family: 'mpp' };
}

function sharedFiles(): readonly FileSpec[] {
  return CISCO_MPP_MODELS.flatMap((model) =>
    [`${model.psn}-3PCC.xml`, `${model.psn}.xml`].map((name) => ({
      name,
      template: 'cisco/profile-rule.xml.liquid',
      secret: false,
      contentType: XML_TYPE,
      vars: { model: modelVars(model) },
    })),
  );
}

function deviceFiles(device: ResolvedDevice): readonly FileSpec[] {
  const model = requireModel(device, findCiscoMppModel, 'Cisco MPP', CISCO_MPP_MODELS);
  return [ciscoFlatProfile(device, model, modelVars(model))];
}

/** The phone's Profile_Rule: `<server>/$PSN.xml`, `$PSN` expanded by the phone (DHCP 66/160). */
function provisioningUrl(server: ServerInfo, scheme: ProvisioningScheme): string | undefined {
  const base = baseUrl(server, scheme);
  return base === undefined ? undefined : `${base}/$PSN.xml`;
}

/** The Cisco MPP vendor module. */
export const ciscoMpp: VendorModule = {
  id: 'cisco-mpp',
  displayName: 'Cisco MPP',
  models: CISCO_MPP_MODELS,
  findModel: findCiscoMppModel,
  parseUserAgent: parseCiscoMppUserAgent,
  sharedFiles,
  deviceFiles,
  macInName: macInNameBy(MAC_NAME),
  // Report rules and logs go to syslog, not uploads (vendors.md §1.5).
  matchUpload: () => undefined,
  pnFolders: () => [],
  varProblems: ciscoVarProblems,
  // 00:56:2b from the UA sample above; d0:ec:35 from WZP's Cisco DHCP classes (vendors.md §10.1).
  ouis: ['00562b', 'd0ec35'],
  provisioningUrl,
  // AST `sipura-check-cfg` / linksys entries (vendors.md §1.4); Resync_From_SIP must stay Yes.
  notify: { resync: 'resync', reboot: 'reboot_now' },
};
