/**
 * Snom desk phones (vendors.md §7, §1.1). Names carry the MAC in UPPER case; the catalog looks
 * names up case-insensitively, so `000413922d24.xml` is served too.
 *
 * Boot: `snom<model>-<MAC>.htm` (the device's list of setting files; no credentials) naming
 * `snom<model>.xml` (model-wide settings) and `<MAC>.xml` (the device's identities: secret).
 * A phone not in the inventory gets 404 there and falls back to the model-wide
 * `snom<model>.htm`, which lists `snom<model>.xml` only.
 *
 * Real User-Agents (vendors.md §1.2, WZP):
 *   Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 2010.12-00004-g9ba52f5 000413922D24 SXM:0 UXM:0)
 *   Mozilla/4.0 (compatible; snom320-SIP 8.4.18 1.1.3-s)       older firmware: no MAC
 *
 * Template variables (optional): snom_server_url (base of the URLs in the setting-files lists and
 * of `setting_server`, which the device file points at its own `snom<model>-<MAC>.htm`;
 * default the daemon's URL), ntp_server. FileSpec.vars add `model`, `lines` and `snom` (the
 * device's upper-case MAC file name), shadowing variables of those names.
 */
import { macUpper } from '../core/mac.js';
import type { ResolvedDevice, SrtpMode } from '../inventory/types.js';
import { attempt, rootUrl, checkText, errorOf, checkUrl, lineSlots, sipTarget, macOfHex, macInNameBy, modelFinder, requireModel, varChecker, XML_TYPE } from './kit.js';
import type { FileSpec, ModelInfo, UserAgentInfo, VendorModule } from './types.js';
import { SNOM_MODELS } from './snom-models.js';

export const findSnomModel = modelFinder(SNOM_MODELS);

/** `user_srtp` / `user_savp` per SRTP mode (`mandatory` as WZP writes it). */
export const SNOM_SRTP: Readonly<Record<SrtpMode, { srtp: string; savp: string }>> = {
  off: { srtp: 'off', savp: 'off' },
  optional: { srtp: 'on', savp: 'optional' },
  required: { srtp: 'on', savp: 'mandatory' },
};

// WZP's two patterns: with the MAC (newer firmware) and without.
const UA_MAC = /\bsnom(\w+)-SIP\s+([\d.]+)\s+(?:.+\s)?([0-9A-Fa-f]{12})(?:\s|\)|$)/;
const UA_BARE = /\bsnom(\w+)-SIP\s+([\d.]+)/;
const MAC_NAME = /^(?:snom\w+-)?([0-9a-f]{12})\.(?:htm|xml)$/i;

export function parseSnomUserAgent(userAgent: string): UserAgentInfo | undefined {
  const withMac = UA_MAC.exec(userAgent);
  const m = withMac ?? UA_BARE.exec(userAgent);
  if (!m) return undefined;
  const [, raw = '', version = ''] = m;
  const mac = withMac ? macOfHex(withMac[3]) : undefined;
  return { vendor: 'snom', model: findSnomModel(raw)?.name ?? raw, version, ...(mac ? { mac } : {}) };
}

function modelVars(model: ModelInfo): Record<string, unknown> {
  return { name: model.name, accounts: model.accounts, settings_file: `snom${model.name}.xml` };
}

function sharedFiles(): readonly FileSpec[] {
  return SNOM_MODELS.flatMap((model) => {
    const vars = { model: modelVars(model), snom: { mac_file: null, device_list: null } };
    return [
      { name: `snom${model.name}.htm`, template: 'snom/setting-files.htm.liquid', secret: false, contentType: XML_TYPE, vars },
      { name: `snom${model.name}.xml`, template: 'snom/model.xml.liquid', secret: false, contentType: XML_TYPE, vars },
    ];
  });
}

function deviceFiles(device: ResolvedDevice): readonly FileSpec[] {
  const model = requireModel(device, findSnomModel, 'Snom', SNOM_MODELS);
  const macFile = `${macUpper(device.mac)}.xml`;
  const built = attempt(() => lineSlots(device, model));
  const lines = (built.value ?? []).flatMap(({ n, account }) => {
    if (!account) return [];
    // Snom takes the transport as a URI parameter on the host it sends to (vendors.md §7).
    const param = account.transport === 'tls' || account.transport === 'tcp' ? `;transport=${account.transport}` : '';
    return [
      {
        n,
        account,
        host: `${sipTarget(account.registrar, account)}${account.outbound_proxy ? '' : param}`,
        outbound: account.outbound_proxy ? `${sipTarget(account.outbound_proxy, account)}${param}` : '',
        ...SNOM_SRTP[account.srtp],
      },
    ];
  });
  const vars = { model: modelVars(model), lines, snom: { mac_file: macFile, device_list: `snom${model.name}-${macUpper(device.mac)}.htm` } };
  return [
    { name: vars.snom.device_list, template: 'snom/setting-files.htm.liquid', secret: false, contentType: XML_TYPE, vars },
    { name: macFile, template: 'snom/mac.xml.liquid', secret: true, contentType: XML_TYPE, vars, ...errorOf(built) },
  ];
}

/** The served root: the phone composes `snom<model>.htm` itself [U: exact DHCP form]. */
const provisioningUrl = rootUrl;

/** The Snom vendor module. */
export const snom: VendorModule = {
  id: 'snom',
  displayName: 'Snom',
  models: SNOM_MODELS,
  findModel: findSnomModel,
  parseUserAgent: parseSnomUserAgent,
  sharedFiles,
  deviceFiles,
  macInName: macInNameBy(MAC_NAME),
  matchUpload: () => undefined,
  pnFolders: () => [],
  varProblems: varChecker({ snom_server_url: checkUrl, ntp_server: checkText }),
  ouis: ['000413'],
  provisioningUrl,
  // AST, WZP (vendors.md §1.4).
  notify: { resync: 'check-sync;reboot=false', reboot: 'check-sync;reboot=true' },
};
