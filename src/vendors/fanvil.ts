/**
 * Fanvil X-series phones (vendors.md §6). Boot: the model's fixed common file
 * (`F0V00X600000.cfg` for an X6: settings every X6 shares, no credentials), then `<mac>.cfg`
 * (lower-case MAC; the device's SIP lines: secret). WZP points phones at `<server>/Fanvil/$mac.cfg`
 * (`$mac` expanded by the phone), so the `Fanvil/` folder is answered like the root.
 * Files are Fanvil's XML (`<VOIP_CONFIG_FILE>`), one `<SIP_Line_List_Entry>` per account line.
 *
 * Real User-Agents (vendors.md §1.2):
 *   Fanvil X5U-V2 2.12.16.17 0c383e557eb1
 *   Fanvil X6U Pro 0.0.10 0c383e2cd782        the model may hold a space
 *
 * Template variables (optional): fanvil_server_url (where the common file says `<mac>.cfg` lives,
 * default the daemon's URL), ntp_server. FileSpec.vars add `model` and `lines`.
 */
import type { ResolvedDevice, SrtpMode, Transport } from '../inventory/types.js';
import type { ServerInfo } from '../render/context.js';
import { FANVIL_MODELS, type FanvilModel } from './fanvil-models.js';
import { attempt, baseUrl, checkText, errorOf, checkUrl, lineSlots, macOfHex, macInNameBy, modelFinder, portOf, requireModel, varChecker, XML_TYPE } from './kit.js';
import type { FileSpec, ProvisioningScheme, UserAgentInfo, VendorModule } from './types.js';

export const findFanvilModel = modelFinder(FANVIL_MODELS);

/** `<Transport>`: 0 UDP, 1 TCP, 3 TLS (WZP mapping); DNS SRV has no code of its own, UDP. */
export const FANVIL_TRANSPORT: Readonly<Record<Transport, number>> = { udp: 0, tcp: 1, tls: 3, 'dns-srv': 0 };
/** `<Enable_SRTP>` [U: element and values are not in vendors.md]: 0 off, 1 optional, 2 forced. */
export const FANVIL_SRTP: Readonly<Record<SrtpMode, number>> = { off: 0, optional: 1, required: 2 };

// Model is everything between the vendor word and the version (it may contain one space).
const UA = /^Fanvil\s+(.+?)\s+(\d+(?:\.\d+)+)\s+([0-9a-fA-F]{12})\s*$/;
const MAC_NAME = /^([0-9a-f]{12})\.cfg$/i;

export function parseFanvilUserAgent(userAgent: string): UserAgentInfo | undefined {
  const m = UA.exec(userAgent.trim());
  if (!m) return undefined;
  const [, raw = '', version = '', hex] = m;
  const mac = macOfHex(hex);
  return { vendor: 'fanvil', model: findFanvilModel(raw)?.name ?? raw, version, ...(mac ? { mac } : {}) };
}

function modelVars(model: FanvilModel): Record<string, unknown> {
  return { name: model.name, accounts: model.accounts, common_file: model.commonFile };
}

function sharedFiles(): readonly FileSpec[] {
  return FANVIL_MODELS.flatMap((model) =>
    model.commonFile === null
      ? []
      : [{ name: model.commonFile, template: 'fanvil/common.cfg.liquid', secret: false, contentType: XML_TYPE, vars: { model: modelVars(model) } }],
  );
}

function deviceFiles(device: ResolvedDevice): readonly FileSpec[] {
  const model = requireModel(device, findFanvilModel, 'Fanvil', FANVIL_MODELS);
  const built = attempt(() => lineSlots(device, model));
  const lines = (built.value ?? []).map(({ n, account }) =>
    account
      ? {
          n,
          account,
          port: portOf(account.registrar, account.transport),
          proxy_port: account.outbound_proxy ? portOf(account.outbound_proxy, account.transport) : null,
          transport: FANVIL_TRANSPORT[account.transport],
          srtp: FANVIL_SRTP[account.srtp],
        }
      : { n, account: null },
  );
  return [{ name: `${device.mac}.cfg`, template: 'fanvil/mac.cfg.liquid', secret: true, contentType: XML_TYPE, vars: { model: modelVars(model), lines }, ...errorOf(built) }];
}

/** WZP's option 66/43 value: `<server>/Fanvil/$mac.cfg`. */
function provisioningUrl(server: ServerInfo, scheme: ProvisioningScheme): string | undefined {
  const base = baseUrl(server, scheme);
  return base === undefined ? undefined : `${base}/Fanvil/$mac.cfg`;
}

/** The Fanvil vendor module. */
export const fanvil: VendorModule = {
  id: 'fanvil',
  displayName: 'Fanvil',
  models: FANVIL_MODELS,
  findModel: findFanvilModel,
  parseUserAgent: parseFanvilUserAgent,
  sharedFiles,
  deviceFiles,
  macInName: macInNameBy(MAC_NAME),
  matchUpload: () => undefined,
  pnFolders: () => ['Fanvil'],
  varProblems: varChecker({ fanvil_server_url: checkUrl, ntp_server: checkText }),
  ouis: ['00a859', '0c383e'],
  provisioningUrl,
  // FPBX (vendors.md §1.4).
  notify: { resync: 'check-sync', reboot: 'check-sync;reboot=true' },
};
