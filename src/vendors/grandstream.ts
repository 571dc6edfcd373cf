/**
 * Grandstream WP8xx, GXP, GRP and HT phones (vendors.md §3, seed 000: WP810 on Zoom).
 *
 * Boot sequence the files below serve (GS-PG): `cfg<mac>` (proprietary binary; newer docs
 * `cfg<mac>.bin`) and `cfg<mac>.xml`, in either order depending on the product; then, when the
 * MAC file is missing, `cfg<model>.xml` (`cfgwp810.xml`) and `cfg.xml`. provd renders the XML
 * form only: the binary names answer "not found" so the phone moves on to the XML (it asks for
 * both), and an unknown phone gets the model-wide and generic files, which hold no credentials.
 * With a Config File Prefix/Postfix (P234/P235) set on the phone, it asks for
 * `<prefix>cfg<mac>.xml<postfix>`; where exactly the postfix goes is unconfirmed, so a device
 * with `grandstream_config_prefix`/`_postfix` is answered under both `<prefix>cfg<mac>.xml<postfix>`
 * and `<prefix>cfg<mac><postfix>.xml`.
 *
 * Variables (inventory `vars`, all optional; checked by grandstreamVarProblems):
 *   grandstream_config_url     P237, default the daemon's provisioning URL (the seed writes the
 *                              full `http://host:port/path`; P212 follows its scheme)
 *   grandstream_firmware_url   P192, default the config URL (P6767 follows its scheme)
 *   grandstream_syslog_server  P207, default the daemon's host (as in the seed)
 *   grandstream_syslog_level   P208 0-4, default 0 (none); grandstream_send_sip_log P1387
 *   grandstream_random_port    P78, default false (seed)
 *   grandstream_special_feature  P198 and account-N equivalents, default 100 (standard); 137 = Zoom
 *   grandstream_nat_traversal (P52, default 0), grandstream_caller_id_display (P2324, default 0),
 *   grandstream_local_call_features (P191, default true), grandstream_srtp_key_length (P2383, 0)
 *   grandstream_config_prefix / grandstream_config_postfix   extra file names, see above
 *   grandstream_disable_unused_lines  true: lines the inventory does not list get `active = 0`
 *                              (default false: left out, so the seed's device renders to the seed's values)
 * Account `vars.grandstream_account_name` sets P270 (default: last four hex digits of the MAC).
 */
import { isZeroMac, parseMac, type Mac } from '../core/mac.js';
import type { ResolvedDevice } from '../inventory/types.js';
import type { ServerInfo } from '../render/context.js';
import { grandstreamAccount, type AccountDefaults } from './grandstream-accounts.js';
import { findGrandstreamModel, GRANDSTREAM_MODELS } from './grandstream-models.js';
import { accountPValues, GRANDSTREAM_MAX_ACCOUNT_LINE } from './grandstream-pvalues.js';
import { parseGrandstreamUserAgent } from './grandstream-ua.js';
import { grandstreamVarProblems } from './grandstream-vars.js';
import type { FileSpec, ProvisioningScheme, VendorModule } from './types.js';

export { GRANDSTREAM_MODELS, findGrandstreamModel } from './grandstream-models.js';
export { parseGrandstreamUserAgent } from './grandstream-ua.js';

const CONTENT_TYPE = 'text/xml; charset=utf-8';

// `cfg<mac>`, `cfg<mac>.bin`, `cfg<mac>.xml`, with whatever prefix/postfix the phone adds.
const MAC_NAME = /cfg([0-9a-f]{12})(?![0-9a-f])/i;

function str(vars: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const v = vars[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(vars: Readonly<Record<string, unknown>>, name: string, fallback: number): number {
  const v = vars[name];
  return typeof v === 'number' ? v : fallback;
}

function flag(vars: Readonly<Record<string, unknown>>, name: string, fallback: boolean): boolean {
  const v = vars[name];
  return typeof v === 'boolean' ? v : fallback;
}

function withoutSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function accountDefaults(vars: Readonly<Record<string, unknown>>): AccountDefaults {
  return {
    specialFeature: num(vars, 'grandstream_special_feature', 100),
    natTraversal: num(vars, 'grandstream_nat_traversal', 0),
    callerIdDisplay: num(vars, 'grandstream_caller_id_display', 0),
    localCallFeatures: flag(vars, 'grandstream_local_call_features', true),
    srtpKeyLength: num(vars, 'grandstream_srtp_key_length', 0),
  };
}

/** `cfg<model>.xml` per model and `cfg.xml`: provisioning settings only, no accounts. */
function sharedFiles(): readonly FileSpec[] {
  const specs: FileSpec[] = GRANDSTREAM_MODELS.map((m) => ({
    name: `cfg${m.name.toLowerCase()}.xml`,
    template: 'grandstream/common.xml.liquid',
    secret: false,
    contentType: CONTENT_TYPE,
    vars: { model: { name: m.name } },
  }));
  specs.push({ name: 'cfg.xml', template: 'grandstream/common.xml.liquid', secret: false, contentType: CONTENT_TYPE, vars: { model: { name: null } } });
  return specs;
}

/** Names this device's file is answered under (prefix/postfix variants after the plain one). */
function deviceNames(device: ResolvedDevice): string[] {
  const base = `cfg${device.mac}`;
  const names = [`${base}.xml`];
  const prefix = str(device.vars, 'grandstream_config_prefix') ?? '';
  const postfix = str(device.vars, 'grandstream_config_postfix') ?? '';
  if (prefix !== '' || postfix !== '') {
    for (const n of [`${prefix}${base}.xml${postfix}`, `${prefix}${base}${postfix}.xml`]) if (!names.includes(n)) names.push(n);
  }
  return names;
}

function deviceFiles(device: ResolvedDevice): readonly FileSpec[] {
  const model = findGrandstreamModel(device.model);
  if (!model) throw new Error(`device ${device.mac}: ${device.model} is not a Grandstream model provd knows`);
  const max = Math.min(model.accounts, GRANDSTREAM_MAX_ACCOUNT_LINE);
  for (const a of device.accounts) {
    if (a.line > max) throw new Error(`device ${device.mac}: account line ${a.line} is above the ${max} lines a Grandstream ${model.name} has`);
  }
  const defaults = accountDefaults(device.vars);
  const accounts = device.accounts.map((a) => grandstreamAccount(device.mac, a, defaults));
  if (flag(device.vars, 'grandstream_disable_unused_lines', false)) {
    // A line removed from the inventory would otherwise keep registering: switch it off.
    for (let line = 1; line <= max; line++) {
      if (!device.accounts.some((a) => a.line === line)) accounts.push({ line, values: [[accountPValues(line).active, '0']] });
    }
    accounts.sort((a, b) => a.line - b.line);
  }
  const vars = { model: { name: model.name, accounts: model.accounts }, grandstream: { accounts } };
  // P1359 "XML Config File Password" decrypts cfg<mac>.xml (vendors.md §3.5); shared files stay plain.
  return deviceNames(device).map((name) => ({
    name,
    template: 'grandstream/device.xml.liquid',
    secret: true,
    contentType: CONTENT_TYPE,
    vars,
    encryptWith: 'device' as const,
  }));
}

/** MAC prefixes Grandstream devices use (vendors.md §10.1). */
const GRANDSTREAM_OUIS: readonly string[] = ['000b82', 'c074ad', 'ec74d7'];

/** Option 66 may carry a full URL and the phone then uses its scheme (GS-PG 2012). */
function provisioningUrl(server: ServerInfo, scheme: ProvisioningScheme): string | undefined {
  const base = server[`${scheme}_url`];
  return base === null ? undefined : withoutSlash(base);
}

/** The Grandstream vendor module. */
export const grandstream: VendorModule = {
  id: 'grandstream',
  displayName: 'Grandstream',
  models: GRANDSTREAM_MODELS,
  findModel: findGrandstreamModel,
  parseUserAgent: parseGrandstreamUserAgent,
  sharedFiles,
  deviceFiles,
  macInName(basename) {
    const hex = MAC_NAME.exec(basename)?.[1];
    const mac = hex === undefined ? undefined : parseMac(hex);
    return mac && !isZeroMac(mac) ? mac : undefined;
  },
  // Grandstream phones write nothing back during provisioning (vendors.md §1.5).
  matchUpload: () => undefined,
  pnFolders: () => ['Grandstream'],
  varProblems: grandstreamVarProblems,
  encryption: { format: 'openssl-aes256-cbc' },
  ouis: GRANDSTREAM_OUIS,
  provisioningUrl,
  // FPBX's "provisioning without reboot" per Grandstream support; WZP sends check-sync (§1.4).
  notify: { resync: 'resync', reboot: 'check-sync;reboot=true' },
};

