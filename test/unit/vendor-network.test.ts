import { describe, expect, it } from 'vitest';
import { parseMac, type Mac } from '../../src/core/mac.js';
import type { ServerInfo } from '../../src/render/context.js';
import { createVendorRegistry } from '../../src/vendors/index.js';
import { yealink } from '../../src/vendors/yealink.js';

const server: ServerInfo = {
  host: '192.168.1.10',
  http_url: 'http://192.168.1.10:8080',
  https_url: null,
  tftp_url: 'tftp://192.168.1.10',
  ftp_url: null,
  provisioning_url: 'http://192.168.1.10:8080',
};

function mac(text: string): Mac {
  const m = parseMac(text);
  if (!m) throw new Error(`bad test MAC ${text}`);
  return m;
}

describe('vendor network hints', () => {
  it('classifies a MAC by the vendor OUI table, in any notation', () => {
    const registry = createVendorRegistry();
    expect(registry.byMac(mac('80:5E:C0:D5:7D:72'))?.id).toBe('yealink');
    expect(registry.byMac(mac('001565aabbcc'))?.id).toBe('yealink');
    expect(registry.byMac(mac('02:00:00:00:00:01'))).toBeUndefined();
  });

  it('keeps every OUI as 6 lower-case hex digits', () => {
    for (const vendor of createVendorRegistry().all()) {
      for (const oui of vendor.ouis) expect(oui).toMatch(/^[0-9a-f]{6}$/);
    }
  });

  it('points Yealink phones at their $PN folder on each served scheme, nothing on an unserved one', () => {
    expect(yealink.provisioningUrl(server, 'tftp')).toBe('tftp://192.168.1.10/$PN/');
    expect(yealink.provisioningUrl(server, 'http')).toBe('http://192.168.1.10:8080/$PN/');
    expect(yealink.provisioningUrl(server, 'https')).toBeUndefined();
    expect(yealink.provisioningUrl({ ...server, http_url: 'http://h:8080/' }, 'http')).toBe('http://h:8080/$PN/');
  });

  it('names the check-sync NOTIFY events of vendors.md §1.4', () => {
    expect(yealink.notify).toEqual({ resync: 'check-sync;reboot=false', reboot: 'check-sync;reboot=true' });
  });
});
