/** Firmware minimum checks and settings-sheet rows for the WeLink seed's video endpoints. */
import { describe, expect, it } from 'vitest';
import { createVendorRegistry } from '../../src/vendors/index.js';
import { findVideoEndpoint, firmwareKey, firmwareWarning, VIDEO_ENDPOINTS, type VideoEndpoint } from '../../src/vendors/video-endpoints.js';
import { sheetRows } from '../../src/vendors/video-sheet.js';
import { account, hp } from './vendor-fixtures.js';

const ep = (vendor: 'polycom' | 'cisco', model: string): VideoEndpoint => {
  const e = findVideoEndpoint(vendor, model);
  if (!e) throw new Error(model);
  return e;
};

describe('WeLink video endpoint firmware minimum (seed 001 table)', () => {
  it.each([
    ['polycom', 'HDX7000', '3.1.7', false],
    ['polycom', 'HDX7000', '3.1.6.2', true],
    ['polycom', 'HDX4500', '3.1.10', false],
    ['polycom', 'GROUP550', 'Release - 6.2.0-440582', false],
    ['polycom', 'GROUP550', '6.2.0-440581', true],
    ['polycom', 'GROUP550', '6.1.9', true],
    ['cisco', 'SX10', 'ce 8.2.1 Final e9daf06 2016-06-28', false],
    ['cisco', 'SX10', 'CE8.1.1', true],
    ['cisco', 'SX10', 'TC7.3.9', true],
    ['cisco', 'SX20', 'ce9.4.0', false],
    ['cisco', 'SX20', 'ce 9.3.2', true],
    ['cisco', 'SX80', 'TC7.3.6', false],
    ['cisco', 'SX80', 'TC7.3.5', true],
    ['cisco', 'SX80', 'CE9.1.4', false],
    ['cisco', 'SX80', '9.1.4', false],
  ] as const)('%s %s on %s: below = %s', (vendor, model, firmware, below) => {
    const warning = firmwareWarning(ep(vendor, model), firmware);
    if (below) expect(warning).toMatch(/is below/);
    else expect(warning).toBeUndefined();
  });

  it('says so when a firmware string has no version in it', () => {
    expect(firmwareWarning(ep('cisco', 'SX20'), 'latest')).toMatch(/not a version provd can compare/);
    expect(firmwareKey('cisco-sx', 'TC7.3.6')).toEqual([0, 7, 3, 6]);
  });

  it('every endpoint of the seed is a model of a registered vendor, so inventory accepts it', () => {
    const registry = createVendorRegistry();
    for (const e of VIDEO_ENDPOINTS) {
      const found = registry.modelsNamed(e.name);
      expect(found.map((f) => f.model.name), e.name).toEqual([e.name]);
    }
    expect(registry.modelsNamed('Group 550')[0]?.model.name).toBe('GROUP550');
  });
});

describe('settings sheet rows', () => {
  const welink = account({
    line: 1,
    user: '+99111600000001@huaweicloud.com',
    password: 'pw',
    registrar: hp('huaweicloud.com'),
    outbound_proxy: hp('sip2-ec.huaweicloud.com:5061'),
    transport: 'tls',
  });

  it('follows the seed order: SIP on, TLS, registrar, proxy, login address, user name, password', () => {
    expect(sheetRows(ep('polycom', 'HDX6000'), welink).map((r) => r.value)).toEqual([
      'Yes',
      'TLS',
      'huaweicloud.com',
      'sip2-ec.huaweicloud.com:5061',
      '+99111600000001@huaweicloud.com',
      '+99111600000001@huaweicloud.com',
      'pw',
    ]);
    expect(sheetRows(ep('cisco', 'SX10'), welink).map((r) => r.label)[3]).toBe('SIP Proxy 1 Address');
  });

  it('writes a resolved address with the port and says where it came from', () => {
    const rows = sheetRows(ep('polycom', 'HDX8000'), welink, { addresses: new Map([['sip2-ec.huaweicloud.com', '203.0.113.7']]) });
    expect(rows[3]).toEqual({ label: 'Proxy Server', value: '203.0.113.7:5061', note: 'resolved from sip2-ec.huaweicloud.com:5061' });
  });
});
