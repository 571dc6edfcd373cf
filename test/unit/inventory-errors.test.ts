import { describe, expect, it } from 'vitest';
import { buildInventory } from '../../src/inventory/load.js';
import { formatProblem } from '../../src/inventory/loaded.js';
import { VendorRegistry } from '../../src/vendors/registry.js';
import type { VendorModule } from '../../src/vendors/types.js';
import { RESERVED_VARIABLES } from '../../src/render/context.js';
import { createVendorRegistry } from '../../src/vendors/index.js';
import { yealink } from '../../src/vendors/yealink.js';

const registry = createVendorRegistry();
const KNOWN = registry.all().map((v) => v.id).join(', ');

/** Loads files given as arrays of lines (line N of the file is element N-1). */
function problems(files: Record<string, readonly string[]>, reg: VendorRegistry = registry): string[] {
  const result = buildInventory(
    Object.entries(files).map(([file, lines]) => ({ file, text: `${lines.join('\n')}\n` })),
    reg,
  );
  if (result.ok) throw new Error('expected the load to fail');
  return result.problems.filter((p) => p.severity === 'error').map(formatProblem);
}

// Shared lines 1-7 of a file; device entries follow from line 8.
const HEAD = [
  'sites:', //                            1
  '  hq: {}', //                          2
  'profiles:', //                         3
  '  pbx:', //                            4
  '    account:', //                      5
  '      registrar: pbx.example.lan', //  6
  'devices:', //                          7
];

describe('inventory errors carry file:line:column', () => {
  it('reports a bad MAC and a MAC YAML read as a number', () => {
    expect(
      problems({
        'd.yaml': [
          ...HEAD,
          '  - mac: "00:15:65:12:34"', // 8
          '    model: T46U',
          '  - mac: 001565123456', // 10
          '    model: T46U',
        ],
      }),
    ).toEqual([
      'd.yaml:8:10: error: mac: "00:15:65:12:34" is not a MAC address (12 hex digits in any usual notation, e.g. 80:5e:c0:d5:7d:72)',
      'd.yaml:10:10: error: mac: must be a quoted string: YAML reads 001565123456 unquoted as a number; write "001565123456"',
    ]);
  });

  it('reports a duplicate MAC in any notation at both places, also across files', () => {
    expect(
      problems({
        'a.yaml': [...HEAD, '  - mac: "80:5e:c0:d5:7d:72"', '    model: T46U'],
        'b.yaml': ['devices:', '  - mac: "805EC0D57D72"', '    model: T54W', '  - mac: 805e.c0d5.7d72', '    model: T54W'],
      }),
    ).toEqual([
      'b.yaml:2:10: error: MAC 80:5e:c0:d5:7d:72 is defined twice: a.yaml:8 and b.yaml:2',
      'b.yaml:4:10: error: MAC 80:5e:c0:d5:7d:72 is defined twice: a.yaml:8 and b.yaml:4',
    ]);
  });

  it('reports unknown vendors and unknown models with the known ones', () => {
    const out = problems({
      'd.yaml': [
        ...HEAD,
        '  - mac: "001565000001"', // 8
        '    vendor: acme',
        '    model: T46U',
        '  - mac: "001565000002"', // 11
        '    vendor: yealink',
        '    model: T99',
        '  - mac: "001565000003"', // 14
        '    model: X9',
      ],
    });
    expect(out).toHaveLength(3);
    expect(out[0]).toBe(`d.yaml:9:13: error: device 00:15:65:00:00:01: unknown vendor "acme" (known: ${KNOWN})`);
    expect(out[1]).toMatch(/^d\.yaml:13:12: error: device 00:15:65:00:00:02: unknown Yealink model "T99" \(known: CP960, VP59, .*T46U, .*T21P_E2, .*\)$/);
    expect(out[2]).toMatch(
      /^d\.yaml:15:12: error: device 00:15:65:00:00:03: unknown model "X9": no vendor has a model of that name \(known: yealink: CP960, .*T46U, .*\)$/,
    );
  });

  it('reports a model two vendors make when no vendor is given', () => {
    // A second vendor module that reuses Yealink's model table: the registry then has two vendors
    // with a T46U, which is the situation the check exists for.
    const twin: VendorModule = { ...yealink, id: 'twin', displayName: 'Twin' };
    const reg = new VendorRegistry([yealink, twin]);
    expect(problems({ 'd.yaml': [...HEAD, '  - mac: "001565000001"', '    model: T46U'] }, reg)).toEqual([
      'd.yaml:9:12: error: device 00:15:65:00:00:01: model "T46U" is made by several vendors (yealink, twin): add "vendor:"',
    ]);
  });

  it('reports duplicate account lines, lines above the model count and missing fields, naming the device', () => {
    expect(
      problems({
        'd.yaml': [
          ...HEAD,
          '  - mac: "001565000001"', // 8
          '    model: T21P_E2',
          '    accounts:',
          '      - { user: "1", password: x, registrar: h.example }', // 11: line 1
          '      - { line: 3, user: "3", password: x, registrar: h.example }', // 12
          '      - { line: 1, user: "4", password: x, registrar: h.example }', // 13
          '      - user: "5"', // 14: line 4, no password, no registrar
        ],
      }),
    ).toEqual([
      'd.yaml:12:17: error: device 00:15:65:00:00:01: account line 3 is above the 2 account lines a Yealink T21P_E2 has',
      'd.yaml:13:17: error: device 00:15:65:00:00:01: account line 1 is given twice (first at d.yaml:11)',
      'd.yaml:14:9: error: device 00:15:65:00:00:01: account line 4 is above the 2 account lines a Yealink T21P_E2 has',
      'd.yaml:14:9: error: device 00:15:65:00:00:01: account line 4 has no password (set it on the account)',
      'd.yaml:14:9: error: device 00:15:65:00:00:01: account line 4 has no registrar (set it on the account)',
    ]);
  });

  it('checks required account fields after merging the profile', () => {
    expect(
      problems({
        'd.yaml': [
          ...HEAD,
          '  - mac: "001565000001"', // 8
          '    model: T46U',
          '    profile: pbx',
          '    accounts:',
          '      - { password: x }', // 12: registrar comes from pbx, user is missing
          '      - { user: "2", password: x }', // 13: fine
        ],
        'p.yaml': ['profiles:', '  zoom:', '    account:', '      auth_id: required'],
        'z.yaml': ['devices:', '  - mac: "001565000002"', '    model: T46U', '    profile: zoom', '    accounts:', '      - { user: "1", password: x }'],
      }),
    ).toEqual([
      'd.yaml:12:9: error: device 00:15:65:00:00:01: account line 1 has no user (set it on the account)',
      'z.yaml:6:9: error: device 00:15:65:00:00:02: account line 1 has no registrar (set it on the account or in profile "zoom")',
      'z.yaml:6:9: error: device 00:15:65:00:00:02: account line 1 has no auth_id, which profile "zoom" requires',
    ]);
  });

  it('reports unknown profile and site references, in devices and in match rules', () => {
    expect(
      problems({
        'd.yaml': [
          ...HEAD,
          '  - mac: "001565000001"', // 8
          '    model: T46U',
          '    site: branch',
          '    profile: zoom',
          '  - mac: "001565000002"', // 12
          '    model: T46U',
          '    site: hq',
        ],
        'p.yaml': ['profiles:', '  lab:', '    match: { site: lab, vendor: acme }', '  m:', '    match:', '      model: T99'],
      }),
    ).toEqual([
      'd.yaml:10:11: error: device 00:15:65:00:00:01: unknown site "branch"',
      'd.yaml:11:14: error: device 00:15:65:00:00:01: unknown profile "zoom"',
      'p.yaml:3:20: error: profile "lab" match: unknown site "lab"',
      `p.yaml:3:33: error: profile "lab" match: unknown vendor "acme" (known: ${KNOWN})`,
      expect.stringMatching(/^p\.yaml:6:14: error: profile "m" match: unknown model "T99": no vendor/),
    ]);
  });

  it('refuses variables named like reserved template variables at every level', () => {
    const reserved = `this variable name is reserved for templates (reserved: ${RESERVED_VARIABLES.join(', ')})`;
    expect(
      problems({
        'd.yaml': [
          'defaults:',
          '  vars: { server: x }', // 2
          'sites:',
          '  hq:',
          '    vars:',
          '      request: 1', // 6
          'profiles:',
          '  p:',
          '    vars: { accounts: [] }', // 9
          'devices:',
          '  - mac: "001565000001"',
          '    model: T46U',
          '    vars:',
          '      ok: 1',
          '      file: 2', // 15
        ],
      }),
    ).toEqual([
      `d.yaml:2:11: error: server: ${reserved}`,
      `d.yaml:6:7: error: request: ${reserved}`,
      `d.yaml:9:13: error: accounts: ${reserved}`,
      `d.yaml:15:7: error: file: ${reserved}`,
    ]);
  });

  it('reports bad host:port values', () => {
    expect(
      problems({
        'd.yaml': [
          'profiles:',
          '  p:',
          '    account:',
          '      registrar: "sip:pbx.example.lan"', // 4
          '      outbound_proxy: proxy.example.com:99999', // 5
          'devices:',
          '  - mac: "001565000001"',
          '    model: T46U',
          '    accounts:',
          '      - user: "1"',
          '        password: x',
          '        registrar: 2001:db8::1', // 12
          '        outbound_proxy: "bad host!"', // 13
        ],
      }),
    ).toEqual([
      'd.yaml:4:18: error: registrar: "sip:pbx.example.lan" must be host[:port] without a scheme (e.g. sip.example.com:5061)',
      'd.yaml:5:23: error: outbound_proxy: "proxy.example.com:99999" has a bad port 99999 (expected 1-65535)',
      'd.yaml:12:20: error: registrar: "2001:db8::1" looks like an IPv6 address: write it in brackets, e.g. [2001:db8::1]:5060',
      'd.yaml:13:25: error: outbound_proxy: "bad host!" is not a valid host name or address',
    ]);
  });

  it('reports unknown keys, wrong types and bad enum values with what is allowed', () => {
    expect(
      problems({
        'd.yaml': [
          'device:', // 1: misspelt section
          '  - mac: "001565000001"',
          'devices:',
          '  - mac: "001565000002"', // 4
          '    modle: T46U', // 5
          '  - mac: "001565000003"',
          '    model: T46U',
          '    labels: reception', // 8
          '    accounts:',
          '      - { user: 3223, password: x, registrar: h, transport: sctp, expires: 1.5 }', // 10
        ],
      }),
    ).toEqual([
      'd.yaml:1:1: error: unknown key "device" (allowed here: defaults, sites, profiles, devices, activation, pins)',
      'd.yaml:4:5: error: missing required key "model"',
      'd.yaml:5:5: error: unknown key "modle" (allowed here: mac, vendor, model, pn, site, profile, labels, auth, encryption, ip, vars, accounts)',
      'd.yaml:8:13: error: labels: expected a list, got string reception',
      'd.yaml:10:17: error: user: must be a quoted string: YAML reads 3223 unquoted as a number; write "3223"',
      'd.yaml:10:61: error: transport: must be one of udp, tcp, tls, dns-srv (got sctp)',
      'd.yaml:10:76: error: expires: expected a whole number, got number 1.5',
    ]);
  });

  it('reports names defined twice across files at both places', () => {
    expect(
      problems({
        'a.yaml': ['defaults:', '  vars: { ntp_server: a }', 'sites:', '  hq: {}', 'profiles:', '  zoom: {}'],
        'b.yaml': ['defaults:', '  vars: { ntp_server: b }', 'sites:', '  hq: {}', 'profiles:', '  zoom: {}'],
      }),
    ).toEqual([
      'b.yaml:2:11: error: default variable "ntp_server" is defined twice: a.yaml:2 and b.yaml:2',
      'b.yaml:4:3: error: site "hq" is defined twice: a.yaml:4 and b.yaml:4',
      'b.yaml:6:3: error: profile "zoom" is defined twice: a.yaml:6 and b.yaml:6',
    ]);
  });

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    expect(problems({ 'a.yaml': ['sites:', '  hq: {}', '  hq: {}'], 'b.yaml': ['devices: [', 'x: 1'] })).toEqual([
      'a.yaml:3:3: error: YAML: Map keys must be unique',
      expect.stringMatching(/^b\.yaml:2:1: error: YAML: /),
    ]);
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const lol = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ];
    expect(problems({ 'bomb.yaml': lol })).toEqual([
      'bomb.yaml:1:1: error: YAML: Excessive alias count indicates a resource exhaustion attack',
    ]);
  });

  it('reports every problem of every file at once, sorted by file then line', () => {
    const out = problems({
      'a.yaml': ['devices:', '  - mac: "zz"', '    model: T46U', '  - mac: "001565000001"', '    model: T99'],
      'b.yaml': ['sites:', '  x:', '    colour: red', 'devices:', '  - mac: "001565000002"', '    model: T46U', '    site: nowhere'],
    });
    expect(out.map((l) => l.split(': error')[0])).toEqual(['a.yaml:2:10', 'a.yaml:5:12', 'b.yaml:3:5', 'b.yaml:7:11']);
  });
});
