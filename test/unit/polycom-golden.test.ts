/**
 * Polycom files through the real engine and shipped templates, against goldens in
 * test/golden/polycom/ (`UPDATE_GOLDEN=1` rewrites them), and the upload names.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deviceContext, sharedContext } from '../../src/render/context.js';
import { createTemplateEngine } from '../../src/render/engine.js';
import type { ResolvedDevice } from '../../src/inventory/types.js';
import { polycom } from '../../src/vendors/polycom.js';
import { checkGolden, REPO } from './golden-check.js';
import { account, device, hp, mac, SERVER } from './vendor-fixtures.js';

const engine = createTemplateEngine({ shipped: join(REPO, 'templates'), override: join(REPO, 'test', 'fixtures', 'none') });

/** VVX 450 (12 lines) on Zoom-like TLS with forced SRTP, two lines, NOTIFY digest on. */
const vvx450 = device({
  mac: mac('00:04:f2:a1:b2:c3'),
  vendor: 'polycom',
  model: 'VVX450',
  vars: { polycom_notify_auth: true },
  accounts: [1, 2].map((line) =>
    account({
      line,
      user: `32234${line}`,
      auth_id: `3434${line}`,
      password: `pa"ss&${line}`,
      display_name: `Desk ${line}`,
      label: `80${line}`,
      registrar: hp('7000766863.zoom.us'),
      outbound_proxy: hp('us01sip0h.sc.zoom.us:5091'),
      transport: 'tls',
      srtp: 'required',
    }),
  ),
});

/** Trio 8800 (1 line) on a UDP PBX, with its own master (own firmware path, extra config file). */
const trio = device({
  mac: mac('64167F0A0B0C'),
  vendor: 'polycom',
  model: 'Trio8800',
  vars: { polycom_app_file_path: 'firmware/3111-65290-001.sip.ld', polycom_config_files: ['site-lab.cfg'] },
  accounts: [account({ line: 1, user: '300', registrar: hp('pbx.example.lan:5080'), expires: 600 })],
});

function render(d: ResolvedDevice) {
  return polycom.deviceFiles(d).map((spec) => ({ spec, body: engine.render(spec.template, deviceContext(d, spec, SERVER)) }));
}

describe('Polycom golden files', () => {
  it('VVX450: the registration file with reg.1/reg.2, TLS, SRTP forced, escaped values', () => {
    const files = render(vvx450);
    expect(files.map((f) => f.spec.name)).toEqual(['0004f2a1b2c3-reg.cfg']);
    checkGolden('polycom', 'vvx450-tls', files[0]!.spec.name, files[0]!.body);
    const text = files[0]!.body.toString();
    expect(text).toContain('reg.2.auth.password="pa&#34;ss&amp;2"');
    expect(text).toContain('sec.srtp.require="1"');
  });

  it('Trio 8800: its own <mac>.cfg master and the registration file', () => {
    const files = render(trio);
    expect(files.map((f) => f.spec.name)).toEqual(['64167f0a0b0c.cfg', '64167f0a0b0c-reg.cfg']);
    for (const f of files) checkGolden('polycom', 'trio8800-own-master', f.spec.name, f.body);
    expect(files[0]!.body.toString()).toContain('CONFIG_FILES="[PHONE_MAC_ADDRESS]-reg.cfg, site-lab.cfg"');
  });

  it('the shared master 000000000000.cfg names the per-phone file and holds no credentials', () => {
    const [spec] = polycom.sharedFiles();
    expect(spec?.name).toBe('000000000000.cfg');
    const body = engine.render(spec!.template, sharedContext({}, spec!, SERVER));
    checkGolden('polycom', 'shared', spec!.name, body);
    expect(body.toString()).not.toMatch(/password/i);
  });

  it('HDX and Group endpoints get no files; too many lines is an error naming the device', () => {
    expect(polycom.deviceFiles(device({ mac: mac('0004f2000001'), vendor: 'polycom', model: 'HDX7000', accounts: [] }))).toEqual([]);
    const over = device({ mac: mac('0004f2000002'), vendor: 'polycom', model: 'VVX101', accounts: [account({ line: 2, user: 'x', registrar: hp('p.example') })] });
    expect(() => polycom.deviceFiles(over)).toThrow(/device 0004f2000002: account line 2 is above the 1 lines a Polycom VVX101 has/);
  });

  it('accepts exactly the uploads Polycom phones write, logs appended, the rest replaced', () => {
    expect(polycom.matchUpload('0004F2A1B2C3-boot.log')).toEqual({ mac: '0004f2a1b2c3', name: '0004f2a1b2c3-boot.log', mode: 'append' });
    expect(polycom.matchUpload('0004f2a1b2c3-app.log')?.mode).toBe('append');
    for (const n of ['-phone.cfg', '-directory.xml', '-calls.xml']) expect(polycom.matchUpload(`0004f2a1b2c3${n}`)?.mode).toBe('replace');
    for (const n of ['0004f2a1b2c3.cfg', '0004f2a1b2c3-reg.cfg', '0004f2a1b2c3-license.cfg', '000000000000-app.log', 'x-app.log']) {
      expect(polycom.matchUpload(n), n).toBeUndefined();
    }
  });

  it('renders the same bytes twice', () => {
    const again = createTemplateEngine({ shipped: join(REPO, 'templates'), override: join(REPO, 'nope') });
    for (const d of [vvx450, trio]) {
      expect(polycom.deviceFiles(d).map((s) => again.render(s.template, deviceContext(d, s, SERVER)))).toEqual(render(d).map((f) => f.body));
    }
  });
});
