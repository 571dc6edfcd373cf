/**
 * The variables a template sees. One builder for every vendor, so the reserved names are the same
 * everywhere and no inventory variable can shadow them (design §3).
 */
import { macColons, macUpper } from '../core/mac.js';
import type { ActivationCode, PinFile, ResolvedDevice } from '../inventory/types.js';
import type { FileSpec } from '../vendors/types.js';

/** Where phones reach this daemon; written into generated files. */
export interface ServerInfo {
  /** Host name or address phones use. */
  readonly host: string;
  readonly http_url: string | null;
  readonly https_url: string | null;
  readonly tftp_url: string | null;
  readonly ftp_url: string | null;
  /** The URL a phone should provision from: HTTPS when configured, else HTTP. */
  readonly provisioning_url: string;
  /**
   * Where phones send their logs when provd's syslog receiver is on (templates set the phone's
   * syslog server from it); null or absent when it is off.
   */
  readonly syslog?: SyslogTarget | null;
}

export interface SyslogTarget {
  readonly host: string;
  readonly port: number;
  /** `udp`, or `tcp` when the receiver also takes TCP (phones still default to UDP). */
  readonly transport: 'udp' | 'tcp';
}

/** Names templates rely on; inventory `vars` may not use them. */
export const RESERVED_VARIABLES = ['device', 'accounts', 'server', 'request', 'file', 'model', 'yealink', 'activation', 'pin'] as const;

export type TemplateContext = Record<string, unknown>;

function withoutReserved(vars: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vars)) {
    if (!(RESERVED_VARIABLES as readonly string[]).includes(k)) out[k] = v;
  }
  return out;
}

/** Context for a file generated for one device. */
export function deviceContext(device: ResolvedDevice, spec: FileSpec, server: ServerInfo): TemplateContext {
  return {
    ...withoutReserved(device.vars),
    ...(spec.vars ?? {}),
    device: {
      mac: device.mac,
      mac_upper: macUpper(device.mac),
      mac_colons: macColons(device.mac),
      vendor: device.vendor,
      model: device.model,
      pn: device.pn,
      site: device.site ?? null,
      profile: device.profile ?? null,
      labels: device.labels,
      // The keys a template writes into the phone's settings (Yealink aes_key.com/.mac); null = plain.
      encryption: device.encryption
        ? { key: device.encryption.key, mac_key: device.encryption.mac_key ?? device.encryption.key, key_in_file: device.encryption.key_in_file }
        : null,
    },
    accounts: device.accounts,
    server,
    file: { name: spec.name },
  };
}

/** What a shared file sees of an activation code: the folder as a URL under the provisioning URL. */
export interface ActivationVars {
  readonly index: number;
  readonly name: string;
  readonly code: string;
  readonly url: string;
  readonly user: string;
  readonly password: string;
  readonly send_credentials: boolean;
}

/** The activation codes as shared templates read them (`activation`). */
export function activationVars(codes: readonly ActivationCode[], server: ServerInfo): ActivationVars[] {
  const base = server.provisioning_url.replace(/\/+$/, '');
  return codes.map((a) => ({
    index: a.index,
    name: a.name,
    code: a.code,
    url: `${base}/${a.folder.join('/')}/`,
    user: a.user,
    password: a.password,
    send_credentials: a.send_credentials,
  }));
}

/** Context for a file every phone of a vendor (or model) shares; only global defaults apply. */
export function sharedContext(
  defaults: Readonly<Record<string, unknown>>,
  spec: FileSpec,
  server: ServerInfo,
  activation: readonly ActivationVars[] = [],
): TemplateContext {
  return {
    ...withoutReserved(defaults),
    ...(spec.vars ?? {}),
    server,
    activation,
    file: { name: spec.name },
  };
}

/** Context for a PIN file (`pin`, `accounts`; variables defaults < profile < PIN). */
export function pinContext(pin: PinFile, spec: FileSpec, server: ServerInfo): TemplateContext {
  return {
    ...withoutReserved(pin.vars),
    ...(spec.vars ?? {}),
    pin: { name: pin.pin, model: pin.model ?? null, profile: pin.profile ?? null, folder: pin.folder.join('/') },
    accounts: pin.accounts,
    server,
    file: { name: spec.name },
  };
}
