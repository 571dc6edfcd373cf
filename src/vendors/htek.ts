/**
 * Htek UC9xx phones (vendors.md §8). Boot: the model-wide `cfg00NN.xml` (`cfg0016.xml` for a
 * UC903; no credentials), then `cfg<mac>.xml` (lower-case MAC; the accounts: secret). Both are
 * `<hl_provision>` XML of P-values with `para` names, as Htek's own files are.
 *
 * One server profile: every account is bound to Profile1 (P47 server, P48 outbound proxy, P130
 * transport, P183 SRTP), because the P-values of Htek's other profiles are not known here. A
 * device whose accounts want different servers or transports is an error naming the device,
 * rather than a file that silently registers them all to the first.
 *
 * Real User-Agent (vendors.md §1.2, WZP): `Htek UC903 2.0.4.2 00:1f:c1:1c:22:a9`. WZP notes Htek
 * may wait about five minutes after boot before asking.
 *
 * Template variables (optional): ntp_server. FileSpec.vars add `model`, `lines` and `htek`.
 */
import type { DnsMode, ResolvedAccount, ResolvedDevice, SrtpMode, Transport } from '../inventory/types.js';
import { HTEK_MODELS, htekAccountKeys, type HtekAccountKeys, type HtekModel } from './htek-models.js';
import { attempt, rootUrl, checkText, errorOf, lineSlots, macOfHex, macInNameBy, modelFinder, requireModel, sipTarget, varChecker, XML_TYPE } from './kit.js';
import type { FileSpec, UserAgentInfo, VendorModule } from './types.js';

export const findHtekModel = modelFinder(HTEK_MODELS);

/** P130 as on the Grandstream firmware Htek's P-values follow [I]: 0 UDP, 1 TCP, 2 TLS. */
export const HTEK_TRANSPORT: Readonly<Record<Transport, number>> = { udp: 0, tcp: 1, tls: 2, 'dns-srv': 0 };
/** P183: 0 off, 1 enabled but not forced, 2 forced [I, Grandstream numbering]. */
export const HTEK_SRTP: Readonly<Record<SrtpMode, number>> = { off: 0, optional: 1, required: 2 };
/** P103: 0 A record, 1 SRV, 2 NAPTR/SRV. */
export const HTEK_DNS: Readonly<Record<DnsMode, number>> = { a: 0, srv: 1, naptr: 2 };

const UA = /^Htek\s+(\S+)\s+(\S+)\s+(\S+)\s*$/;
const MAC_NAME = /^cfg([0-9a-f]{12})\.xml$/i;

export function parseHtekUserAgent(userAgent: string): UserAgentInfo | undefined {
  const m = UA.exec(userAgent.trim());
  if (!m) return undefined;
  const [, raw = '', version = '', last] = m;
  const mac = macOfHex(last);
  return { vendor: 'htek', model: findHtekModel(raw)?.name ?? raw, version, ...(mac ? { mac } : {}) };
}

function modelVars(model: HtekModel): Record<string, unknown> {
  return { name: model.name, code: model.code, accounts: model.accounts };
}

function sharedFiles(): readonly FileSpec[] {
  return HTEK_MODELS.map((model) => ({
    name: `cfg${model.code}.xml`,
    template: 'htek/model.xml.liquid',
    secret: false,
    contentType: XML_TYPE,
    vars: { model: modelVars(model) },
  }));
}

interface HtekLine {
  readonly n: number;
  readonly account: ResolvedAccount;
  readonly p: HtekAccountKeys;
}

/** The device's accounts with their P-values, after checking they fit one server profile. */
function htekLines(device: ResolvedDevice, model: HtekModel): HtekLine[] {
  const lines = lineSlots(device, model).flatMap(({ n, account }) => (account ? [{ n, account, p: htekAccountKeys(n) }] : []));
  const first = lines[0]?.account;
  for (const { n, account } of lines.slice(1)) {
    const same =
      first !== undefined &&
      account.registrar.text === first.registrar.text &&
      account.outbound_proxy?.text === first.outbound_proxy?.text &&
      account.transport === first.transport &&
      account.srtp === first.srtp;
    if (!same) {
      throw new Error(
        `device ${device.mac}: account line ${n} needs another server, proxy, transport or SRTP than line 1; ` +
          'provd renders one Htek server profile, so every account must share them',
      );
    }
  }
  return lines;
}

/** Profile1's values, from the first account (all accounts share them, see htekLines). */
function profileOf(first: ResolvedAccount | undefined): Record<string, unknown> | null {
  if (!first) return null;
  return {
    server: sipTarget(first.registrar, first),
    outbound_proxy: first.outbound_proxy ? sipTarget(first.outbound_proxy, first) : null,
    transport: HTEK_TRANSPORT[first.transport],
    srtp: HTEK_SRTP[first.srtp],
    dns: first.transport === 'dns-srv' ? HTEK_DNS.naptr : HTEK_DNS[first.dns_mode],
    // P32 is taken to be minutes, like Grandstream's [U]; never below one.
    expires_minutes: Math.max(1, Math.round(first.expires / 60)),
  };
}

function deviceFiles(device: ResolvedDevice): readonly FileSpec[] {
  const model = requireModel(device, findHtekModel, 'Htek', HTEK_MODELS);
  const built = attempt(() => htekLines(device, model));
  const lines = built.value ?? [];
  return [
    {
      name: `cfg${device.mac}.xml`,
      template: 'htek/mac.xml.liquid',
      secret: true,
      contentType: XML_TYPE,
      vars: { model: modelVars(model), lines, htek: profileOf(lines[0]?.account) },
      ...errorOf(built),
    },
  ];
}

const provisioningUrl = rootUrl;

/** The Htek vendor module. */
export const htek: VendorModule = {
  id: 'htek',
  displayName: 'Htek',
  models: HTEK_MODELS,
  findModel: findHtekModel,
  parseUserAgent: parseHtekUserAgent,
  sharedFiles,
  deviceFiles,
  macInName: macInNameBy(MAC_NAME),
  matchUpload: () => undefined,
  pnFolders: () => [],
  varProblems: varChecker({ ntp_server: checkText }),
  ouis: ['001fc1'],
  provisioningUrl,
  // FPBX (vendors.md §1.4).
  notify: { resync: 'resync', reboot: 'check-sync;reboot=true' },
};
