/**
 * Devices for the Cisco, Fanvil, Snom and Htek tests: two models per vendor, built as the
 * inventory loader resolves them (accounts sorted by line, defaults filled in).
 */
import { parseMac, type Mac } from '../../src/core/mac.js';
import type { ResolvedAccount, ResolvedDevice } from '../../src/inventory/types.js';
import type { ServerInfo } from '../../src/render/context.js';

export const server: ServerInfo = {
  host: 'prov.example.net',
  http_url: 'http://prov.example.net:8080',
  https_url: null,
  tftp_url: 'tftp://prov.example.net',
  ftp_url: null,
  provisioning_url: 'http://prov.example.net:8080',
};

export function mac(text: string): Mac {
  const m = parseMac(text);
  if (!m) throw new Error(`bad MAC in fixture: ${text}`);
  return m;
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

const zoomLine = (line: number, user: string, password: string): ResolvedAccount =>
  account({
    line,
    user,
    auth_id: `a${user}`,
    password,
    display_name: `Desk <${line}> & Co`,
    label: `${8027 + line}`,
    registrar: { host: '7000766863.zoom.us', text: '7000766863.zoom.us' },
    outbound_proxy: { host: 'us01sip0h.sc.zoom.us', port: 5091, text: 'us01sip0h.sc.zoom.us:5091' },
    transport: 'tls',
    srtp: 'required',
    dns_mode: 'srv',
  });

const pbx = { host: 'pbx.example.lan', text: 'pbx.example.lan' };
const pbxPort = { host: 'pbx.example.lan', port: 5080, text: 'pbx.example.lan:5080' };

/** Golden cases: name, device. */
export const CASES: readonly (readonly [string, ResolvedDevice])[] = [
  ['cisco-mpp-7841-zoom', device({
    mac: mac('00:56:2b:04:36:15'), vendor: 'cisco-mpp', model: 'CP-7841-3PCC',
    vars: { cisco_resync_seconds: 86400, ntp_server: 'pool.ntp.org' },
    accounts: [zoomLine(1, '3223456789', 'Zoom#Pass1'), zoomLine(2, '3223456790', 'Zoom#Pass2')],
  })],
  ['cisco-mpp-8851-srv', device({
    mac: mac('d0ec35aabb01'), vendor: 'cisco-mpp', model: 'CP-8851-3PCC',
    vars: { cisco_server_url: 'https://prov.example.net/cisco/' },
    accounts: [account({ line: 3, user: '301', registrar: { host: 'sip.example.org', text: 'sip.example.org' }, transport: 'dns-srv', srtp: 'optional', expires: 600 })],
  })],
  ['cisco-spa-504g', device({
    mac: mac('0002FDFF2103'), vendor: 'cisco-spa', model: 'SPA504G',
    accounts: [account({ line: 1, user: '201', registrar: pbx }), account({ line: 2, user: '202', registrar: pbxPort, transport: 'tcp' })],
  })],
  ['cisco-spa-303', device({
    mac: mac('10bd18010203'), vendor: 'cisco-spa', model: 'SPA303',
    accounts: [account({ line: 1, user: '401', password: 'p<w>&"x\'', registrar: pbx })],
  })],
  ['cisco-sep-7961g', device({
    mac: mac('00:1b:d4:c2:3a:10'), vendor: 'cisco-enterprise', model: 'CP-7961G',
    accounts: [account({ line: 1, user: '501', registrar: pbx }), account({ line: 2, user: '502', registrar: pbx })],
  })],
  ['cisco-sep-8961-tls', device({
    mac: mac('f8a5c5112233'), vendor: 'cisco-enterprise', model: 'CP-8961',
    vars: { cisco_callmanager: 'cucm.example.lan' },
    accounts: [account({ line: 1, user: '601', registrar: { host: 'cucm.example.lan', text: 'cucm.example.lan' }, transport: 'tls' })],
  })],
  ['fanvil-x6-zoom', device({
    mac: mac('0c:38:3e:55:7e:b1'), vendor: 'fanvil', model: 'X6',
    accounts: [zoomLine(1, '3223456789', 'Zoom#Pass1'), zoomLine(2, '3223456790', 'Zoom#Pass2')],
  })],
  ['fanvil-x4u', device({
    mac: mac('00a859010203'), vendor: 'fanvil', model: 'X4U',
    accounts: [account({ line: 2, user: '702', registrar: pbxPort, transport: 'tcp', srtp: 'optional' })],
  })],
  ['snom-d785-zoom', device({
    mac: mac('000413922D24'), vendor: 'snom', model: 'D785',
    vars: { ntp_server: 'pool.ntp.org' },
    accounts: [zoomLine(1, '3223456789', 'Zoom#Pass1'), zoomLine(2, '3223456790', 'Zoom#Pass2')],
  })],
  ['snom-320', device({
    mac: mac('00:04:13:aa:bb:cc'), vendor: 'snom', model: '320',
    accounts: [account({ line: 1, user: '801', registrar: pbx }), account({ line: 4, user: '804', registrar: pbxPort, transport: 'tcp', srtp: 'optional' })],
  })],
  ['htek-uc903', device({
    mac: mac('00:1f:c1:1c:22:a9'), vendor: 'htek', model: 'UC903',
    accounts: [zoomLine(1, '3223456789', 'Zoom#Pass1'), zoomLine(2, '3223456790', 'Zoom#Pass2')],
  })],
  ['htek-uc926-line7', device({
    mac: mac('001fc1aabb07'), vendor: 'htek', model: 'UC926',
    vars: { ntp_server: 'ntp.example.lan' },
    accounts: [account({ line: 1, user: '901', registrar: pbx }), account({ line: 7, user: '907', registrar: pbx })],
  })],
];

/** Shared-file golden cases: case name, vendor id, file name, inventory defaults. */
export const SHARED_CASES: readonly (readonly [string, string, string, Record<string, unknown>])[] = [
  ['shared', 'cisco-mpp', '7841-3PCC.xml', {}],
  ['shared', 'cisco-mpp', '7841.xml', {}],
  ['shared-vars', 'cisco-mpp', '8851-3PCC.xml', { cisco_server_url: 'https://prov.example.net/cisco', cisco_resync_seconds: 3600 }],
  ['shared', 'cisco-spa', 'spa504G.cfg', {}],
  ['shared', 'cisco-enterprise', 'XMLDefault.cnf.xml', {}],
  ['shared-vars', 'cisco-enterprise', 'XMLDefault.cnf.xml', { cisco_callmanager: 'cucm.example.lan' }],
  ['shared', 'fanvil', 'F0V00X600000.cfg', {}],
  ['shared-vars', 'fanvil', 'f0X4hw1.100.cfg', { fanvil_server_url: 'http://10.0.0.5/Fanvil/', ntp_server: 'pool.ntp.org' }],
  ['shared', 'snom', 'snomD785.htm', {}],
  ['shared', 'snom', 'snomD785.xml', {}],
  ['shared-vars', 'snom', 'snom320.xml', { snom_server_url: 'http://10.0.0.5/snom/', ntp_server: 'pool.ntp.org' }],
  ['shared', 'htek', 'cfg0016.xml', {}],
];
