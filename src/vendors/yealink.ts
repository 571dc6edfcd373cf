/**
 * Yealink T2x/T4x/T5x, CP, VP and W (DECT) phones, fw >= 80 (vendors.md §2, seed 002).
 *
 * Boot sequence the files below serve (seed): `<mac>.boot`, else `y000000000000.boot`, else the
 * legacy pair `y0000000000XX.cfg` then `<mac>.cfg`; then every `include:config` target of the
 * boot file in order (later wins); then `<mac>-local.cfg`. Names are lower-case and case-sensitive
 * on the phone. Every device gets its own `<mac>.boot`, so the common boot only serves phones
 * that are not (yet) in the inventory.
 *
 * Variables the shipped templates read (all optional; inventory `vars`, merged
 * defaults < site < profile < device; the shared files see only the defaults):
 *   yealink_overwrite_mode   0|1, boot files, default 1 (seed): 1 = a key left out returns to
 *                            the factory value, 0 = the phone keeps its previous value
 *   yealink_excluded_mode    0|1, boot files, default 0 (`specific_model.excluded_mode`)
 *   yealink_server_url       provisioning URL written into the files, default the daemon's
 *                            `server.provisioning_url`; may hold `$PN`/`$MAC`, which the common
 *                            cfg keeps for the phone and `<mac>.cfg` expands
 *   yealink_repeat_minutes   periodic re-provisioning interval in minutes
 *   ntp_server, yealink_time_zone (`+8`), yealink_time_zone_name (`China(Beijing)`)
 *   yealink_reboot_force     boolean, `static.auto_provision.reboot_force.enable`
 *   yealink_custom_protect   boolean, `static.auto_provision.custom.protect` (phone/web changes
 *                            beat server values; false = the server wins)
 *   yealink_custom_sync      boolean, `static.auto_provision.custom.sync` (upload and fetch back
 *                            `<mac>-local.cfg`)
 *   yealink_pin_url          common cfg, `static.custom_mac_cfg.url`; must hold `$pin`
 *                            (`http://prov/act/sales/$pin.cfg`): where a typed PIN is fetched
 * Check them with `yealinkVarProblems` when the inventory loads.
 *
 * Inventory `activation` entries become `static.autoprovision.X.*` in the common cfg files
 * (context `activation`), inventory `pins` become `<PIN>.cfg` (pinFiles, context `pin`), and
 * inventory `encryption` encrypts `<mac>.cfg` (compatibility mode, `<mac>_Security.enc` beside it;
 * the keys are written into `<mac>.cfg` from `device.encryption`).
 *
 * FileSpec.vars add `model` (name, code, common_file, token, accounts, excluded_mode, firmware
 * minima; for a common cfg: code, common_file, names) and `yealink` (the common boot's include
 * lines; for device files the expanded server URL and the transport/SRTP code maps), so a var
 * named `yealink` is shadowed in these files.
 */
import { isZeroMac, parseMac, type Mac } from '../core/mac.js';
import type { PinFile, ResolvedDevice } from '../inventory/types.js';
import type { ServerInfo } from '../render/context.js';
import type { FileSpec, ProvisioningScheme, UploadSpec, VendorModule } from './types.js';
import { findYealinkModel, YEALINK_MODELS, type YealinkModel } from './yealink-models.js';
import { parseYealinkUserAgent } from './yealink-ua.js';
import { expandYealinkWildcards } from './yealink-wildcards.js';

export { expandYealinkWildcards } from './yealink-wildcards.js';
export { YEALINK_MODELS, findYealinkModel, type YealinkModel } from './yealink-models.js';
import { yealinkVarProblems } from './yealink-vars.js';
export { YEALINK_VARIABLES, yealinkVarProblems } from './yealink-vars.js';

const CONTENT_TYPE = 'text/plain; charset=utf-8';
const COMMON_BOOT = 'y000000000000.boot';

/** `account.N.sip_server.1.transport_type`: 0 UDP, 1 TCP, 2 TLS, 3 DNS-NAPTR/SRV (vendors.md §2.10). */
export const YEALINK_TRANSPORT = { udp: 0, tcp: 1, tls: 2, 'dns-srv': 3 } as const;
/** `account.N.srtp_encryption`: 0 off, 1 optional, 2 compulsory (WZP uses 2 with TLS). */
export const YEALINK_SRTP = { off: 0, optional: 1, required: 2 } as const;

// 12 hex digits in either case; phones write lower case but an admin's copy may not.
// `.enc` (RSA-mode key file) is asked for before `_Security.enc` by phones with aes_key_in_file = 1
// (vendors.md §2.9); provd answers it 404 so the phone falls back, but the request still names the device.
const MAC_NAME = /^([0-9a-f]{12})(\.boot|\.cfg|-local\.cfg|-contact\.xml|_Security\.enc|\.enc)$/i;
const UPLOAD_NAME = /^([0-9a-f]{12})(-local\.cfg|-contact\.xml)$/i;

function macOf(hex: string): Mac | undefined {
  const mac = parseMac(hex);
  return mac && !isZeroMac(mac) ? mac : undefined;
}

/** Template variables describing one model (the reserved name `model`). */
function modelVars(model: YealinkModel): Record<string, unknown> {
  return {
    name: model.name,
    code: model.code,
    common_file: model.commonFile,
    token: model.token,
    accounts: model.accounts,
    // Emitted only where the seed's support table says the model honours it.
    excluded_mode: model.excludedModeFirmware !== null,
    boot_firmware: model.bootFirmware,
    excluded_mode_firmware: model.excludedModeFirmware,
  };
}

interface CommonFile {
  readonly file: string;
  readonly code: string;
  readonly names: string[];
  /** `[MODEL]` tokens of those models that have one. */
  readonly tokens: string[];
}

/** Distinct common files in table order, each with the models that read it. */
function commonFiles(): readonly CommonFile[] {
  const byFile = new Map<string, CommonFile>();
  for (const m of YEALINK_MODELS) {
    let entry = byFile.get(m.commonFile);
    if (!entry) {
      entry = { file: m.commonFile, code: m.code, names: [], tokens: [] };
      byFile.set(m.commonFile, entry);
    }
    entry.names.push(m.name);
    if (m.token !== null) entry.tokens.push(m.token);
  }
  return [...byFile.values()];
}

function sharedFiles(): readonly FileSpec[] {
  // One line per common file, its models' tokens together (`[T23P,T23G]include:config ...`).
  const includes = commonFiles()
    .map((c) => ({ file: c.file, tokens: c.tokens.join(',') }))
    .filter((c) => c.tokens !== '');
  const specs: FileSpec[] = [
    {
      name: COMMON_BOOT,
      template: 'yealink/common.boot.liquid',
      secret: false,
      contentType: CONTENT_TYPE,
      vars: { yealink: { includes } },
    },
  ];
  for (const c of commonFiles()) {
    specs.push({
      name: c.file,
      template: 'yealink/common.cfg.liquid',
      secret: false,
      contentType: CONTENT_TYPE,
      vars: { model: { code: c.code, common_file: c.file, names: c.names } },
    });
  }
  return specs;
}

/** The device's provisioning URL with its wildcards expanded, or null when the var is unset. */
function deviceServerUrl(device: ResolvedDevice): string | null {
  const url = device.vars['yealink_server_url'];
  if (typeof url !== 'string' || url === '') return null;
  return expandYealinkWildcards(url, { mac: device.mac, pn: device.pn });
}

function deviceFiles(device: ResolvedDevice): readonly FileSpec[] {
  const model = findYealinkModel(device.model);
  if (!model) {
    // Inventory validation rejects unknown models first; reaching this is a bug upstream.
    throw new Error(`device ${device.mac}: ${device.model} is not a Yealink model in the seed table`);
  }
  const vars = {
    model: modelVars(model),
    yealink: {
      server_url: deviceServerUrl(device),
      transport: YEALINK_TRANSPORT,
      srtp: YEALINK_SRTP,
    },
  };
  return [
    { name: `${device.mac}.boot`, template: 'yealink/mac.boot.liquid', secret: false, contentType: CONTENT_TYPE, vars },
    // Encrypted with the MAC key when the inventory asks (`<mac>_Security.enc` then served next to it).
    { name: `${device.mac}.cfg`, template: 'yealink/mac.cfg.liquid', secret: true, contentType: CONTENT_TYPE, vars, encryptWith: 'device' },
  ];
}

/**
 * `<PIN>.cfg` for a PIN entry (vendors.md §2.4: the user types `A31`, the phone asks for
 * `A31.cfg`): its account lines only. Without a model the lines are not capped.
 */
function pinFiles(pin: PinFile): readonly FileSpec[] {
  const model = pin.model !== undefined ? findYealinkModel(pin.model) : undefined;
  const lines = model?.accounts ?? Math.max(0, ...pin.accounts.map((a) => a.line));
  const vars = { model: { name: model?.name ?? null, accounts: lines }, yealink: { transport: YEALINK_TRANSPORT, srtp: YEALINK_SRTP } };
  return [{ name: `${pin.pin}.cfg`, template: 'yealink/pin.cfg.liquid', secret: true, contentType: CONTENT_TYPE, vars }];
}

function matchUpload(basename: string): UploadSpec | undefined {
  const m = UPLOAD_NAME.exec(basename);
  const mac = m?.[1] === undefined ? undefined : macOf(m[1]);
  if (!m || !mac) return undefined;
  return { mac, name: `${mac}${(m[2] ?? '').toLowerCase()}`, mode: 'replace' };
}

const PN_FOLDERS: readonly string[] = YEALINK_MODELS.flatMap((m) => [m.name, `SIP-${m.name}`]);

/** MAC prefixes Yealink devices use (vendors.md §2.5, from WZP's yealink.conf). */
const YEALINK_OUIS: readonly string[] = [
  '001565', 'e434d7', '805ec0', '805e0c', '249ad8', '44dbd2', '644f56', 'ec1da9', '3497d7', 'b061a9', 'c4fc22', 'f01653',
];

/**
 * The URL a Yealink phone is pointed at: the served root with `$PN` left for the phone, so its
 * requests land in its model folder (`/T46U/<mac>.boot`), which provd answers like the root (seed 002).
 */
function provisioningUrl(server: ServerInfo, scheme: ProvisioningScheme): string | undefined {
  const base = server[`${scheme}_url`];
  return base === null ? undefined : `${base.replace(/\/+$/, '')}/$PN/`;
}

/** The Yealink vendor module. */
export const yealink: VendorModule = {
  id: 'yealink',
  displayName: 'Yealink',
  models: YEALINK_MODELS,
  findModel: findYealinkModel,
  parseUserAgent: parseYealinkUserAgent,
  sharedFiles,
  deviceFiles,
  macInName(basename) {
    const m = MAC_NAME.exec(basename);
    return m?.[1] === undefined ? undefined : macOf(m[1]);
  },
  matchUpload,
  pnFolders: () => PN_FOLDERS,
  varProblems: yealinkVarProblems,
  ouis: YEALINK_OUIS,
  provisioningUrl,
  // check-sync reboots or not per the phone's sip.notify_reboot_enable (vendors.md §1.4).
  notify: { resync: 'check-sync;reboot=false', reboot: 'check-sync;reboot=true' },
  // Compatibility mode (vendors.md §2.9); the boot files stay plain, the phone cannot read them encrypted.
  encryption: { format: 'yealink-aes128-ecb' },
  pinFiles,
};
