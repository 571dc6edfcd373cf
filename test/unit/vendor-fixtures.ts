/** Builders for resolved devices and accounts in vendor unit tests (defaults as the inventory's). */
import { parseMac, type Mac } from '../../src/core/mac.js';
import type { HostPort, ResolvedAccount, ResolvedDevice } from '../../src/inventory/types.js';
import type { ServerInfo } from '../../src/render/context.js';

export function mac(text: string): Mac {
  const m = parseMac(text);
  if (!m) throw new Error(`bad MAC in fixture: ${text}`);
  return m;
}

export function hp(text: string): HostPort {
  const [host = '', port] = text.split(':');
  return port === undefined ? { host, text } : { host, port: Number(port), text };
}

export function account(fields: Partial<ResolvedAccount> & Pick<ResolvedAccount, 'line' | 'user' | 'registrar'>): ResolvedAccount {
  return {
    auth_id: fields.user,
    password: 'secret',
    display_name: fields.user,
    label: fields.user,
    transport: 'udp',
    srtp: 'off',
    expires: 3600,
    dns_mode: 'a',
    dns_failover: 'default',
    session_timer: false,
    vars: {},
    ...fields,
  };
}

export function device(fields: Partial<ResolvedDevice> & Pick<ResolvedDevice, 'mac' | 'vendor' | 'model' | 'accounts'>): ResolvedDevice {
  return { pn: fields.model, labels: [], vars: {}, source: { file: 'inventory/devices.yaml', line: 1 }, ...fields };
}

export const SERVER: ServerInfo = {
  host: 'prov.example.net',
  http_url: 'http://prov.example.net:8080/',
  https_url: 'https://prov.example.net:8443/',
  tftp_url: 'tftp://prov.example.net/',
  ftp_url: null,
  provisioning_url: 'https://prov.example.net:8443/',
};
