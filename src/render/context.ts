/**
 * The variables a template sees. One builder for every vendor, so the reserved names are the same
 * everywhere and no inventory variable can shadow them (design §3).
 */
import { macColons, macUpper } from '../core/mac.js';
import type { ResolvedDevice } from '../inventory/types.js';
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
}

/** Names templates rely on; inventory `vars` may not use them. */
export const RESERVED_VARIABLES = ['device', 'accounts', 'server', 'request', 'file', 'model', 'yealink'] as const;

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

/** Context for a file every phone of a vendor (or model) shares; only global defaults apply. */
export function sharedContext(
  defaults: Readonly<Record<string, unknown>>,
  spec: FileSpec,
  server: ServerInfo,
): TemplateContext {
  return {
    ...withoutReserved(defaults),
    ...(spec.vars ?? {}),
    server,
    file: { name: spec.name },
  };
}
