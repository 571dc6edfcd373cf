import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Mac } from '../../src/core/mac.js';
import { importCsv } from '../../src/inventory/csv.js';
import type { CsvImportResult } from '../../src/inventory/csv.js';
import { loadInventory } from '../../src/inventory/load.js';
import { formatProblem } from '../../src/inventory/loaded.js';
import { createVendorRegistry } from '../../src/vendors/index.js';

const registry = createVendorRegistry();
const KNOWN = registry.all().map((v) => v.id).join(', ');
const EXAMPLE = join(import.meta.dirname, '../../config/inventory');
const HEADER = 'mac,vendor,model,profile,site,line,user,auth_id,password,display_name,label,sip_domain,outbound_proxy';

function yamlOf(result: CsvImportResult): string {
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  return result.yaml;
}

function problemsOf(result: CsvImportResult): string[] {
  if (result.ok) throw new Error('expected the import to fail');
  return result.problems.map(formatProblem);
}

const GOOD = [
  HEADER,
  // Two rows, one device: the Zoom portal's five values per line, a password with a comma.
  '80-5E-C0-11-22-33,,SIP-T46U,zoom,hq,1,3223,343,"se,cret",Alice,8028,7000766863.zoom.us,us01sip0h.sc.zoom.us:5091',
  '805ec0112233,yealink,T46U,,,2,3224,344,pw2,,,7000766863.zoom.us,us01sip0h.sc.zoom.us:5091',
  '',
  '24:9a:d8:00:00:01,,T54W,welink,hq,,+99111600000002@huaweicloud.com,,"pw ""quoted""",,,,',
  '0015.6500.0010,yealink,T21P_E2,pbx,lab,,201,,pbx-201,"Lab, bench",,,',
].join('\r\n');

const GOOD_YAML = `# Imported from phones.csv by provd import: 3 devices.

devices:
  - mac: "80:5e:c0:11:22:33"
    vendor: yealink
    model: T46U
    profile: zoom
    site: hq
    accounts:
      - line: 1
        user: "3223"
        auth_id: "343"
        password: se,cret
        display_name: Alice
        label: "8028"
        registrar: 7000766863.zoom.us
        outbound_proxy: us01sip0h.sc.zoom.us:5091
      - line: 2
        user: "3224"
        auth_id: "344"
        password: pw2
        registrar: 7000766863.zoom.us
        outbound_proxy: us01sip0h.sc.zoom.us:5091
  - mac: "24:9a:d8:00:00:01"
    vendor: yealink
    model: T54W
    profile: welink
    site: hq
    accounts:
      - line: 1
        user: +99111600000002@huaweicloud.com
        password: pw "quoted"
  - mac: "00:15:65:00:00:10"
    vendor: yealink
    model: T21P_E2
    profile: pbx
    site: lab
    accounts:
      - line: 1
        user: "201"
        password: pbx-201
        display_name: Lab, bench
`;

describe('CSV import', () => {
  it('turns rows into devices with several lines, canonical names and quoted MACs', () => {
    const result = importCsv(GOOD, '/tmp/phones.csv', registry);
    expect(yamlOf(result)).toBe(GOOD_YAML);
    expect(result.ok && result.deviceCount).toBe(3);
  });

  it('round-trips: the YAML loads next to the example profiles and sites', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'provd-csv-'));
    try {
      await copyFile(join(EXAMPLE, 'profiles.yaml'), join(dir, 'profiles.yaml'));
      await copyFile(join(EXAMPLE, 'sites.yaml'), join(dir, 'sites.yaml'));
      await writeFile(join(dir, 'imported.yaml'), yamlOf(importCsv(GOOD, 'phones.csv', registry)));
      const loaded = await loadInventory(dir, registry);
      if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
      const inv = loaded.inventory;
      expect([...inv.devices.keys()]).toEqual(['805ec0112233', '249ad8000001', '001565000010']);
      const zoom = inv.devices.get('805ec0112233' as Mac);
      expect(zoom?.accounts.map((a) => [a.line, a.user, a.auth_id, a.password, a.registrar.text, a.outbound_proxy?.port, a.transport])).toEqual([
        [1, '3223', '343', 'se,cret', '7000766863.zoom.us', 5091, 'tls'],
        [2, '3224', '344', 'pw2', '7000766863.zoom.us', 5091, 'tls'],
      ]);
      const welink = inv.devices.get('249ad8000001' as Mac)?.accounts[0];
      expect(welink).toMatchObject({ auth_id: '+99111600000002@huaweicloud.com', password: 'pw "quoted"', registrar: { text: 'huaweicloud.com' } });
      expect(inv.devices.get('001565000010' as Mac)?.accounts[0]).toMatchObject({ display_name: 'Lab, bench', registrar: { text: 'pbx.example.lan' } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('accepts an Excel export: BOM, columns in any order and case, semicolons', () => {
    const csv = '\uFEFFModel;MAC;User;Password;Line\r\nT46U;80:5e:c0:00:00:07;100;x;\r\n';
    expect(yamlOf(importCsv(csv, 'excel.csv', registry))).toBe(
      [
        '# Imported from excel.csv by provd import: 1 device.',
        '',
        'devices:',
        '  - mac: "80:5e:c0:00:00:07"',
        '    vendor: yealink',
        '    model: T46U',
        '    accounts:',
        '      - line: 1',
        '        user: "100"',
        '        password: x',
        '',
      ].join('\n'),
    );
  });

  it('reports every bad row with its spreadsheet row number, counting quoted line breaks once', () => {
    const csv = [
      HEADER, // row 1
      'nonsense,,T46U,,,,1,,x,,,,', // 2: bad MAC
      '001565000001,yealink,T99,,,,1,,x,,,,', // 3: unknown model
      '001565000002,,T21P_E2,zoom,,1,1,,x,"two', // 4: display name with a line break (spans two lines)
      'lines",,,', //                                   (still row 4)
      '001565000002,,T21P_E2,welink,,3,2,,x,,,,', // 5: other profile, line above 2
      '001565000003,acme,T46U,,,,1,,x,,,,', // 6: unknown vendor
      '001565000004,,T46U,,,1,1,,x,,,sip:bad,', // 7: scheme in sip_domain
      '001565000004,,T46U,,,1,2,,,,,,', // 8: line 1 again, no password
      '001565000005,,T46U', // 9: too few fields
    ].join('\n');
    const out = problemsOf(importCsv(csv, 'bad.csv', registry));
    expect(out[1]).toMatch(/^bad\.csv:3:3: error: row 3: unknown Yealink model "T99" \(known: CP960, .*T46U, .*\)$/);
    expect(out.filter((_, i) => i !== 1)).toEqual([
      'bad.csv:2:1: error: row 2: "nonsense" is not a MAC address',
      'bad.csv:4:10: error: row 4: display_name must not contain line breaks or control characters',
      'bad.csv:5:4: error: row 5: MAC 00:15:65:00:00:02 has profile "welink" here but "zoom" in row 4',
      `bad.csv:6:2: error: row 6: unknown vendor "acme" (known: ${KNOWN})`,
      'bad.csv:7:12: error: row 7: sip_domain: "sip:bad" must be host[:port] without a scheme (e.g. sip.example.com:5061)',
      'bad.csv:8:9: error: row 8: no password for this account line',
      'bad.csv:9: error: row 9: has 3 fields, the header has 13',
    ]);
  });

  it('reports duplicate and too-high account lines naming both rows', () => {
    const csv = [HEADER, '001565000002,,T21P_E2,,,1,1,,x,,,,', '001565000002,,T21P_E2,,,1,2,,x,,,,', '001565000002,,T21P_E2,,,3,3,,x,,,,'].join('\n');
    expect(problemsOf(importCsv(csv, 'l.csv', registry))).toEqual([
      'l.csv:3:6: error: row 3: MAC 00:15:65:00:00:02 has account line 1 twice (rows 2 and 3)',
      'l.csv:4:6: error: row 4: MAC 00:15:65:00:00:02: account line 3 is above the 2 account lines a Yealink T21P_E2 has',
    ]);
  });

  it('refuses unknown, duplicate and missing columns in the header', () => {
    expect(problemsOf(importCsv('mac,model,user,colour,mac\n', 'h.csv', registry))).toEqual([
      'h.csv:1: error: row 1: missing column "password"',
      'h.csv:1:4: error: row 1: unknown column "colour" (known: mac, vendor, model, profile, site, line, user, auth_id, password, display_name, label, sip_domain, outbound_proxy)',
      'h.csv:1:5: error: row 1: column "mac" appears twice (columns 1 and 5)',
    ]);
    expect(problemsOf(importCsv('', 'empty.csv', registry))).toEqual([
      'empty.csv:1: error: no header row (expected columns: mac,vendor,model,profile,site,line,user,auth_id,password,display_name,label,sip_domain,outbound_proxy)',
    ]);
  });

  it('reports malformed CSV quoting with the row it starts on and keeps going', () => {
    const csv = ['mac,model,user,password', '001565000001,T46U,1,x"y', '001565000002,T46U,2,ok', '"001565000003,T46U,3,x'].join('\n');
    const out = problemsOf(importCsv(csv, 'q.csv', registry));
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^q\.csv:2: error: row 2: not valid CSV: Invalid Opening Quote/);
    expect(out[1]).toMatch(/^q\.csv:4: error: row 4: not valid CSV: Quote Not Closed/);
  });
});
