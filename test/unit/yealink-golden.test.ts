/**
 * Yealink files rendered through the real engine, the shipped templates and the context builders,
 * compared byte for byte with committed goldens in test/golden/yealink/. After a deliberate
 * template change, rewrite them with `UPDATE_GOLDEN=1 npx vitest run test/unit/yealink-golden.test.ts`
 * and review every diff against the seed rules before keeping it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMac, type Mac } from '../../src/core/mac.js';
import type { ResolvedAccount, ResolvedDevice } from '../../src/inventory/types.js';
import { deviceContext, sharedContext, type ServerInfo } from '../../src/render/context.js';
import { createTemplateEngine } from '../../src/render/engine.js';
import { yealink } from '../../src/vendors/yealink.js';
import type { FileSpec } from '../../src/vendors/types.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const goldenDir = join(repo, 'test', 'golden', 'yealink');
const update = process.env['UPDATE_GOLDEN'] === '1';
// An override folder that does not exist: only the shipped templates are used.
const engine = createTemplateEngine({
  shipped: join(repo, 'templates'),
  override: join(repo, 'test', 'fixtures', 'no-such-templates.local'),
});

const server: ServerInfo = {
  host: 'prov.example.net',
  http_url: 'http://prov.example.net:8080/',
  https_url: null,
  tftp_url: 'tftp://prov.example.net/',
  ftp_url: null,
  provisioning_url: 'http://prov.example.net:8080/',
};

function mac(text: string): Mac {
  const m = parseMac(text);
  if (!m) throw new Error(`bad MAC in fixture: ${text}`);
  return m;
}

function account(fields: Partial<ResolvedAccount> & Pick<ResolvedAccount, 'line' | 'user' | 'registrar'>): ResolvedAccount {
  return {
    auth_id: fields.user,
    password: 'secret',
    display_name: '',
    label: '',
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

function device(fields: Partial<ResolvedDevice> & Pick<ResolvedDevice, 'mac' | 'model' | 'accounts'>): ResolvedDevice {
  return {
    vendor: 'yealink',
    pn: fields.model,
    labels: [],
    vars: {},
    source: { file: 'inventory/devices.yaml', line: 1 },
    ...fields,
  };
}

const zoomDefaults = {
  yealink_server_url: 'http://prov.example.net:8080/$PN/',
  yealink_repeat_minutes: 1440,
  ntp_server: 'pool.ntp.org',
  yealink_time_zone: '+1',
  yealink_time_zone_name: 'Germany(Berlin)',
};

/** T46U (16 lines, row "SIP-T46U") on a Zoom-like account pair: TLS, forced SRTP, proxy on 5091. */
const t46u = device({
  mac: mac('80:5e:c0:d5:7d:72'),
  model: 'T46U',
  profile: 'zoom',
  vars: { ...zoomDefaults, yealink_reboot_force: true, yealink_custom_protect: false },
  accounts: [
    account({
      line: 1,
      user: '3223456789',
      auth_id: '343456789',
      password: 'Zoom#Pass1',
      display_name: 'Alice Example',
      label: '8028',
      registrar: { host: '7000766863.zoom.us', text: '7000766863.zoom.us' },
      outbound_proxy: { host: 'us01sip0h.sc.zoom.us', port: 5091, text: 'us01sip0h.sc.zoom.us:5091' },
      transport: 'tls',
      srtp: 'required',
    }),
    account({
      line: 2,
      user: '3223456790',
      auth_id: '343456790',
      password: 'Zoom#Pass2',
      display_name: 'Alice Example (2)',
      label: '8029',
      registrar: { host: '7000766863.zoom.us', port: 5091, text: '7000766863.zoom.us:5091' },
      outbound_proxy: { host: 'us01sip0h.sc.zoom.us', port: 5091, text: 'us01sip0h.sc.zoom.us:5091' },
      transport: 'tls',
      srtp: 'required',
    }),
  ],
});

/** T21P E2 (2 lines): three lines in the fixture, so line 3 must be left out; own `$PN` folder. */
const t21 = device({
  mac: mac('00156574B150'),
  model: 'T21P_E2',
  pn: 'front-desk',
  vars: { yealink_server_url: 'tftp://10.0.0.5/$PN/', yealink_custom_sync: true },
  accounts: [
    account({ line: 1, user: '201', display_name: 'Reception', registrar: { host: 'pbx.local', text: 'pbx.local' } }),
    account({
      line: 2,
      user: '202',
      registrar: { host: 'pbx.local', port: 5080, text: 'pbx.local:5080' },
      transport: 'tcp',
    }),
    account({ line: 3, user: '203', registrar: { host: 'pbx.local', text: 'pbx.local' } }),
  ],
});

/** W52P DECT base (5 lines, no [MODEL] token, no excluded mode), overwrite mode 0, DNS SRV. */
const w52p = device({
  mac: mac('00-15-65-9b-5a-44'),
  model: 'W52P',
  vars: { yealink_overwrite_mode: 0 },
  accounts: [
    account({
      line: 1,
      user: '301',
      label: 'Handset 1',
      registrar: { host: 'sip.example.org', text: 'sip.example.org' },
      outbound_proxy: { host: 'edge.example.org', text: 'edge.example.org' },
      transport: 'dns-srv',
      srtp: 'optional',
      expires: 600,
    }),
    account({ line: 2, user: '302', registrar: { host: 'sip.example.org', text: 'sip.example.org' }, transport: 'udp' }),
  ],
});

/** CP960 (1 line) with a plain UDP line on an on-site PBX and nothing else set. */
const cp960 = device({
  mac: mac('249ad8010203'),
  model: 'CP960',
  accounts: [
    account({ line: 1, user: '400', display_name: 'Board Room', registrar: { host: '192.168.10.2', text: '192.168.10.2' } }),
  ],
});

function check(caseName: string, spec: FileSpec, body: Buffer): void {
  const file = join(goldenDir, caseName, spec.name);
  if (update) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, body);
  }
  if (!existsSync(file)) throw new Error(`missing golden ${file}; run with UPDATE_GOLDEN=1 and review it`);
  expect(body.toString('utf8')).toBe(readFileSync(file, 'utf8'));
  expect(body.equals(readFileSync(file))).toBe(true);
}

function renderDevice(d: ResolvedDevice): { spec: FileSpec; body: Buffer }[] {
  return yealink.deviceFiles(d).map((spec) => ({ spec, body: engine.render(spec.template, deviceContext(d, spec, server)) }));
}

function sharedSpec(name: string): FileSpec {
  const spec = yealink.sharedFiles().find((s) => s.name === name);
  if (!spec) throw new Error(`no shared file ${name}`);
  return spec;
}

describe('Yealink golden files', () => {
  it.each([
    ['t46u-zoom', t46u],
    ['t21p-e2', t21],
    ['w52p', w52p],
    ['cp960', cp960],
  ])('%s: <mac>.boot and <mac>.cfg', (caseName, d) => {
    const files = renderDevice(d);
    expect(files.map((f) => f.spec.name)).toEqual([`${d.mac}.boot`, `${d.mac}.cfg`]);
    for (const { spec, body } of files) check(caseName, spec, body);
  });

  it.each([
    ['shared-zoom-defaults', 'y000000000000.boot', zoomDefaults],
    ['shared-zoom-defaults', 'y000000000108.cfg', zoomDefaults],
    ['shared-no-defaults', 'y000000000000.boot', {}],
    ['shared-no-defaults', 'y000000000025.cfg', {}],
    ['shared-no-defaults', 'y000000000044.cfg', {}],
    ['shared-boot-modes', 'y000000000000.boot', { yealink_overwrite_mode: 0, yealink_excluded_mode: 1 }],
  ])('%s: %s', (caseName, name, defaults) => {
    const spec = sharedSpec(name);
    check(caseName, spec, engine.render(spec.template, sharedContext(defaults, spec, server)));
  });

  it('renders the same bytes twice (phones MD5 what they fetch)', () => {
    const first = renderDevice(t46u).map((f) => f.body);
    const again = createTemplateEngine({ shipped: join(repo, 'templates'), override: join(repo, 'nope') });
    const second = yealink.deviceFiles(t46u).map((spec) => again.render(spec.template, deviceContext(t46u, spec, server)));
    expect(second).toEqual(first);
  });

  it('renders every shared file with the seed header, one key = value per line', () => {
    for (const spec of yealink.sharedFiles()) {
      const text = engine.render(spec.template, sharedContext({}, spec, server)).toString('utf8');
      const lines = text.split('\n');
      expect(lines[0]).toBe('#!version:1.0.0.1');
      expect(lines.at(-1)).toBe('');
      for (const line of lines.slice(1, -1)) {
        expect(line).toMatch(/^(?:## .*|(?:\[[A-Z0-9_,]+\])?include:config "[^"]+"|[a-z0-9_.]+ = \S.*)$/);
      }
    }
  });

  it('renders every device file with the seed header and no blank or wrapped lines', () => {
    for (const d of [t46u, t21, w52p, cp960]) {
      for (const { body } of renderDevice(d)) {
        const lines = body.toString('utf8').split('\n');
        expect(lines[0]).toBe('#!version:1.0.0.1');
        expect(lines.at(-1)).toBe('');
        for (const line of lines.slice(1, -1)) {
          expect(line).toMatch(/^(?:## .*|include:config "[^"]+"|[a-z0-9_.]+ = \S.*)$/);
        }
      }
    }
  });
});
