/**
 * The settings sheet of a WeLink video endpoint (seed 001, "终端通用配置SIP参数注册说明"): the
 * values an admin types into the endpoint's SIP web page, field by field, in the page's order:
 * SIP on, transport TLS, registrar, proxy, login address, user name, password; everything else
 * stays at its default. Labels follow each family's web UI (Polycom HDX/Group "SIP Settings",
 * Cisco CE/TC "Configuration > SIP"); the exact wording on every firmware is unconfirmed, the
 * order and the values are the seed's.
 */
import type { ResolvedAccount, ResolvedDevice } from '../inventory/types.js';
import type { VideoEndpoint, VideoFamily } from './video-endpoints.js';

export interface SheetRow {
  readonly label: string;
  readonly value: string;
  /** Extra information for the admin (where a resolved address came from). */
  readonly note?: string;
}

type Field = 'sip' | 'transport' | 'registrar' | 'proxy' | 'login' | 'user' | 'password';

const LABELS: Readonly<Record<VideoFamily, Readonly<Record<Field, string>>>> = {
  'polycom-hdx': {
    sip: 'Enable SIP',
    transport: 'Transport Protocol',
    registrar: 'Registrar Server',
    proxy: 'Proxy Server',
    login: 'Sign-in Address',
    user: 'User Name',
    password: 'Password',
  },
  'polycom-group': {
    sip: 'Enable SIP',
    transport: 'Transport Protocol',
    registrar: 'Registrar Server',
    proxy: 'Proxy Server',
    login: 'Sign-in Address',
    user: 'User Name',
    password: 'Password',
  },
  'cisco-sx': {
    sip: 'NetworkServices SIP Mode',
    transport: 'SIP DefaultTransport',
    registrar: 'SIP Registrar (domain of the SIP URI)',
    proxy: 'SIP Proxy 1 Address',
    login: 'SIP URI',
    user: 'SIP Authentication UserName',
    password: 'SIP Authentication Password',
  },
};

const ORDER: readonly Field[] = ['sip', 'transport', 'registrar', 'proxy', 'login', 'user', 'password'];

/** TLS/TCP/UDP as both web UIs spell them; DNS-SRV has no setting of its own there, so `Auto`. */
function transportText(account: ResolvedAccount): string {
  return account.transport === 'dns-srv' ? 'Auto' : account.transport.toUpperCase();
}

export interface SheetOptions {
  /** Addresses to write instead of proxy host names (`--resolve-ips`), keyed by host name. */
  readonly addresses?: ReadonlyMap<string, string>;
}

/**
 * The rows of the sheet for one account of the endpoint. `addresses` (host -> IP) replaces the
 * proxy's host name, for endpoints that cannot resolve names (the seed allows the IP).
 */
export function sheetRows(endpoint: VideoEndpoint, account: ResolvedAccount, opts: SheetOptions = {}): SheetRow[] {
  const labels = LABELS[endpoint.family];
  const proxy = account.outbound_proxy;
  const address = proxy ? opts.addresses?.get(proxy.host) : undefined;
  const proxyText = proxy ? (address ? `${address}${proxy.port ? `:${proxy.port}` : ''}` : proxy.text) : '';
  const values: Readonly<Record<Field, SheetRow>> = {
    sip: { label: labels.sip, value: endpoint.family === 'cisco-sx' ? 'On' : 'Yes' },
    transport: { label: labels.transport, value: transportText(account) },
    registrar: { label: labels.registrar, value: account.registrar.text },
    proxy: { label: labels.proxy, value: proxyText, ...(address && proxy ? { note: `resolved from ${proxy.text}` } : {}) },
    login: { label: labels.login, value: account.user },
    user: { label: labels.user, value: account.auth_id },
    password: { label: labels.password, value: account.password },
  };
  return ORDER.map((f) => values[f]);
}

/** The whole sheet as text: a header, then `label : value` lines per account. */
export function formatSheet(device: ResolvedDevice, endpoint: VideoEndpoint, vendorName: string, opts: SheetOptions = {}): string {
  const lines = [
    `# provd settings sheet for ${device.mac} (${vendorName} ${endpoint.name}${device.profile ? `, profile ${device.profile}` : ''})`,
    '# Enter these on the endpoint\'s SIP settings page, top to bottom; leave everything else at its default.',
    `# Firmware: at least ${endpoint.minFirmware} (WeLink guide).`,
  ];
  if (device.accounts.length === 0) lines.push('# This device has no account in the inventory: nothing to enter.');
  for (const account of device.accounts) {
    if (device.accounts.length > 1) lines.push(`# Account ${account.line}`);
    const rows = sheetRows(endpoint, account, opts);
    const width = Math.max(...rows.map((r) => r.label.length));
    for (const r of rows) lines.push(`${r.label.padEnd(width)} : ${r.value}${r.note ? `   # ${r.note}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
