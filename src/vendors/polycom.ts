/**
 * Polycom / Poly VVX and Trio phones, UC Software (vendors.md §4), plus the HDX/Group video
 * endpoints of the WeLink seed, which get no files (they are set up by hand from the settings
 * sheet, `provd render <mac> sheet`).
 *
 * Boot sequence the files below serve (PC-UCS): `<mac>.cfg`, else the master `000000000000.cfg`;
 * then `APP_FILE_PATH` (firmware, a static file), every file in `CONFIG_FILES` in order (here the
 * phone's own `<mac>-reg.cfg`: the master names it `[PHONE_MAC_ADDRESS]-reg.cfg`, which the phone
 * expands), then `<mac>-phone.cfg` (override), `<mac>-directory.xml`, `<mac>-license.cfg`; a
 * missing one is a 404 and the phone goes on. The phone writes `<mac>-boot.log` and `-app.log`
 * (appended), `-phone.cfg`, `-directory.xml` and `-calls.xml` (replaced) with HTTP PUT, and
 * reads the last three back. The directory attributes of the master are empty: uploads land in
 * the phone's boot-server folder, and provd matches them by name wherever they arrive.
 *
 * A device gets its own `<mac>.cfg` master only when it sets one of the master variables
 * (`polycom_app_file_path`, `polycom_config_files`), so phones without them share the common one.
 *
 * Variables: polycom_app_file_path (default `sip.ld`), polycom_config_files (list of extra
 * CONFIG_FILES entries after the registration file), polycom_notify_auth (boolean: challenge
 * check-sync NOTIFYs with digest, default false).
 */
import { isZeroMac, parseMac } from '../core/mac.js';
import type { ResolvedDevice } from '../inventory/types.js';
import type { ServerInfo } from '../render/context.js';
import { findPolycomModel, POLYCOM_MODELS } from './polycom-models.js';
import { parsePolycomUserAgent } from './polycom-ua.js';
import type { FileSpec, ProvisioningScheme, UploadSpec, VendorModule } from './types.js';
import { videoEndpointWarnings } from './video-endpoints.js';

export { POLYCOM_MODELS, findPolycomModel } from './polycom-models.js';
export { parsePolycomUserAgent } from './polycom-ua.js';

const XML = 'text/xml; charset=utf-8';
const MASTER = '000000000000.cfg';

/** `reg.N.server.1.transport` (vendors.md §4.3). */
const TRANSPORT = { udp: 'UDPOnly', tcp: 'TCPOnly', tls: 'TLS', 'dns-srv': 'DNSnaptr' } as const;

// Names carrying the phone's MAC (WZP's path regex plus this module's own -reg.cfg).
const MAC_NAME = /^([0-9a-f]{12})(\.cfg|-reg\.cfg|-user\.cfg|-phone\.cfg|-license\.cfg|-directory\.xml|-calls\.xml|-boot\.log|-app\.log)$/i;
const UPLOADS: Readonly<Record<string, UploadSpec['mode']>> = {
  '-boot.log': 'append',
  '-app.log': 'append',
  '-phone.cfg': 'replace',
  '-directory.xml': 'replace',
  '-calls.xml': 'replace',
};

const MASTER_VARS = ['polycom_app_file_path', 'polycom_config_files'] as const;

function masterSpec(name: string): FileSpec {
  return { name, template: 'polycom/master.cfg.liquid', secret: false, contentType: XML };
}

function srtpOf(device: ResolvedDevice): { enable: number; offer: number; require: number } {
  const modes = device.accounts.map((a) => a.srtp);
  // SRTP is phone-wide in sec.srtp.*; the strictest line decides.
  return {
    enable: modes.some((m) => m !== 'off') ? 1 : 0,
    offer: modes.some((m) => m !== 'off') ? 1 : 0,
    require: modes.includes('required') ? 1 : 0,
  };
}

function deviceFiles(device: ResolvedDevice): readonly FileSpec[] {
  const model = findPolycomModel(device.model);
  if (!model) throw new Error(`device ${device.mac}: ${device.model} is not a Polycom model provd knows`);
  if (model.video) return [];
  for (const a of device.accounts) {
    if (a.line > model.accounts) throw new Error(`device ${device.mac}: account line ${a.line} is above the ${model.accounts} lines a Polycom ${model.name} has`);
  }
  const vars = { model: { name: model.name, accounts: model.accounts }, polycom: { transport: TRANSPORT, srtp: srtpOf(device) } };
  const specs: FileSpec[] = [];
  if (MASTER_VARS.some((v) => device.vars[v] !== undefined)) specs.push(masterSpec(`${device.mac}.cfg`));
  specs.push({ name: `${device.mac}-reg.cfg`, template: 'polycom/reg.cfg.liquid', secret: true, contentType: XML, vars });
  return specs;
}

function matchUpload(basename: string): UploadSpec | undefined {
  const m = MAC_NAME.exec(basename);
  const mac = m?.[1] === undefined ? undefined : parseMac(m[1]);
  const suffix = m?.[2]?.toLowerCase() ?? '';
  const mode = UPLOADS[suffix];
  if (!mac || isZeroMac(mac) || mode === undefined) return undefined;
  return { mac, name: `${mac}${suffix}`, mode };
}

function varProblems(vars: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  const path = vars['polycom_app_file_path'];
  if (path !== undefined && (typeof path !== 'string' || !/^[^\s"<>&,]+$/.test(path))) {
    problems.push(`polycom_app_file_path must be a file name or URL without blanks, quotes, <, > or commas, got ${JSON.stringify(path)}`);
  }
  const files = vars['polycom_config_files'];
  if (files !== undefined && (!Array.isArray(files) || !files.every((f) => typeof f === 'string' && /^[^\s"<>&,]{1,255}$/.test(f)))) {
    problems.push(`polycom_config_files must be a list of file names or URLs (each up to 255 characters, no commas), got ${JSON.stringify(files)}`);
  }
  const auth = vars['polycom_notify_auth'];
  if (auth !== undefined && typeof auth !== 'boolean') problems.push(`polycom_notify_auth must be true or false, got ${JSON.stringify(auth)}`);
  return problems;
}

/** MAC prefixes Polycom devices use (vendors.md §10.1). */
const POLYCOM_OUIS: readonly string[] = ['0004f2', '64167f', '482567'];

/** The boot-server URL: the served root; the phone appends `<mac>.cfg` / `000000000000.cfg`. */
function provisioningUrl(server: ServerInfo, scheme: ProvisioningScheme): string | undefined {
  const base = server[`${scheme}_url`];
  return base === null ? undefined : base;
}

export const polycom: VendorModule = {
  id: 'polycom',
  displayName: 'Polycom',
  models: POLYCOM_MODELS,
  findModel: findPolycomModel,
  parseUserAgent: parsePolycomUserAgent,
  sharedFiles: () => [masterSpec(MASTER)],
  deviceFiles,
  macInName(basename) {
    const hex = MAC_NAME.exec(basename)?.[1];
    const mac = hex === undefined ? undefined : parseMac(hex);
    return mac && !isZeroMac(mac) ? mac : undefined;
  },
  matchUpload,
  pnFolders: () => [],
  varProblems,
  ouis: POLYCOM_OUIS,
  provisioningUrl,
  // check-sync re-reads the configuration and reboots only when needed; with
  // voIpProt.SIP.specialEvent.checkSync.alwaysReboot="1" it always reboots (vendors.md §1.4).
  notify: { resync: 'check-sync', reboot: 'check-sync;reboot=true' },
  deviceWarnings: (device) => videoEndpointWarnings('polycom', device),
};
