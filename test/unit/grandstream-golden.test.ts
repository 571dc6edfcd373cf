/**
 * Grandstream files through the real engine and shipped templates, against goldens in
 * test/golden/grandstream/ (`UPDATE_GOLDEN=1` rewrites them), plus the account-line rules.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deviceContext, sharedContext } from '../../src/render/context.js';
import { createTemplateEngine } from '../../src/render/engine.js';
import { grandstream } from '../../src/vendors/grandstream.js';
import { accountPValues } from '../../src/vendors/grandstream-pvalues.js';
import { expiresMinutes } from '../../src/vendors/grandstream-accounts.js';
import type { ResolvedDevice } from '../../src/inventory/types.js';
import { checkGolden, REPO } from './golden-check.js';
import { account, device, hp, mac, SERVER } from './vendor-fixtures.js';

const engine = createTemplateEngine({ shipped: join(REPO, 'templates'), override: join(REPO, 'test', 'fixtures', 'none') });

/** WP822 on Zoom with both lines, config over HTTPS, firmware from a separate TFTP server. */
const wp822 = device({
  mac: mac('c0:74:ad:01:02:03'),
  vendor: 'grandstream',
  model: 'WP822',
  profile: 'zoom',
  vars: { grandstream_special_feature: 137, grandstream_firmware_url: 'tftp://10.0.0.9/fw/' },
  accounts: [1, 2].map((line) =>
    account({
      line,
      user: `32234${line}`,
      auth_id: `3434${line}`,
      password: `Zoom&Pass<${line}>`,
      display_name: `Ward ${line}`,
      registrar: hp('7000766863.zoom.us'),
      outbound_proxy: hp('us01sip0h.sc.zoom.us:5091'),
      transport: 'tls',
      srtp: 'required',
      dns_mode: 'srv',
      dns_failover: 'saved_until_no_response',
      session_timer: true,
      vars: line === 2 ? { grandstream_account_name: 'Ward-B' } : {},
    }),
  ),
});

/** GXP2170 (6 lines) on a PBX: lines 1, 2 and 5, DNS-SRV, 90 s expiry, a file prefix/postfix. */
const gxp2170 = device({
  mac: mac('000B82AABBCC'),
  vendor: 'grandstream',
  model: 'GXP2170',
  vars: { grandstream_config_prefix: 'site1_', grandstream_config_postfix: '.v2', grandstream_syslog_server: 'log.example.net' },
  accounts: [
    account({ line: 1, user: '201', registrar: hp('pbx.example.lan:5080') }),
    account({ line: 2, user: '202', registrar: hp('pbx.example.lan'), transport: 'tcp', srtp: 'optional' }),
    account({ line: 5, user: '205', registrar: hp('sip.example.org'), transport: 'dns-srv', expires: 90 }),
  ],
});

function render(d: ResolvedDevice) {
  return grandstream.deviceFiles(d).map((spec) => ({ spec, body: engine.render(spec.template, deviceContext(d, spec, SERVER)) }));
}

describe('Grandstream golden files', () => {
  it('WP822 on Zoom: both accounts, XML-escaped password, HTTPS config and TFTP firmware', () => {
    const files = render(wp822);
    expect(files.map((f) => f.spec.name)).toEqual(['cfgc074ad010203.xml']);
    checkGolden('grandstream', 'wp822-zoom', files[0]!.spec.name, files[0]!.body);
    const text = files[0]!.body.toString();
    expect(text).toContain('<P406>Zoom&amp;Pass&lt;2&gt;</P406>');
    expect(text).toContain('<P6767>0</P6767>');
    expect(text).toContain('<P212>2</P212>');
  });

  it('GXP2170: lines 1, 2 and 5 numbered per line, answered under the prefixed names too', () => {
    const files = render(gxp2170);
    expect(files.map((f) => f.spec.name)).toEqual(['cfg000b82aabbcc.xml', 'site1_cfg000b82aabbcc.xml.v2', 'site1_cfg000b82aabbcc.v2.xml']);
    expect(new Set(files.map((f) => f.body.toString())).size).toBe(1);
    checkGolden('grandstream', 'gxp2170-pbx', 'cfg000b82aabbcc.xml', files[0]!.body);
    const text = files[0]!.body.toString();
    expect(text).toContain('<P701>1</P701>'); // account 5 active
    expect(text).toContain('<P704>205</P704>');
    expect(text).toContain('<P712>2</P712>'); // 90 s -> 2 minutes
  });

  it('shared files: cfg<model>.xml and cfg.xml carry provisioning settings and no account', () => {
    const names = grandstream.sharedFiles().map((s) => s.name);
    expect(names).toContain('cfgwp810.xml');
    expect(names.at(-1)).toBe('cfg.xml');
    for (const name of ['cfgwp810.xml', 'cfg.xml']) {
      const spec = grandstream.sharedFiles().find((s) => s.name === name)!;
      const body = engine.render(spec.template, sharedContext({ grandstream_syslog_level: 2 }, spec, SERVER));
      checkGolden('grandstream', 'shared', name, body);
      expect(body.toString()).not.toMatch(/<P(?:34|35|271)>/);
    }
  });

  it('renders the same bytes twice', () => {
    const again = createTemplateEngine({ shipped: join(REPO, 'templates'), override: join(REPO, 'nope') });
    for (const d of [wp822, gxp2170]) {
      const first = render(d).map((f) => f.body);
      const second = grandstream.deviceFiles(d).map((spec) => again.render(spec.template, deviceContext(d, spec, SERVER)));
      expect(second).toEqual(first);
    }
  });

  it('switches off the lines the inventory does not list when asked to', () => {
    const d = { ...gxp2170, vars: { ...gxp2170.vars, grandstream_disable_unused_lines: true } };
    const text = render(d)[0]!.body.toString();
    for (const off of ['<P501>0</P501>', '<P601>0</P601>', '<P801>0</P801>']) expect(text).toContain(off);
    expect(text).toContain('<P701>1</P701>');
    expect(text.indexOf('<P501>0</P501>')).toBeLessThan(text.indexOf('<P701>1</P701>'));
    expect(render(gxp2170)[0]!.body.toString()).not.toContain('<P501>');
  });

  it('refuses more accounts than the model has lines, naming the device', () => {
    const over = device({ mac: mac('c0:74:ad:00:00:09'), vendor: 'grandstream', model: 'WP810', accounts: [account({ line: 3, user: '3', registrar: hp('x.example') })] });
    expect(() => grandstream.deviceFiles(over)).toThrow(/device c074ad000009: account line 3 is above the 2 lines a Grandstream WP810 has/);
  });

  it('numbers account P-values per line and converts the expiry to minutes', () => {
    expect(accountPValues(1)).toMatchObject({ active: 'P271', name: 'P270', expires: 'P32', special_feature: 'P198' });
    expect(accountPValues(2)).toMatchObject({ active: 'P401', name: 'P417', sip_server: 'P402', transport: 'P448', dns_failover: 'P26140' });
    expect(accountPValues(3)).toMatchObject({ active: 'P501', srtp_key_length: 'P2583', dns_failover: 'P26240' });
    expect(() => accountPValues(7)).toThrow(/no known P-value numbering/);
    expect([1, 59, 60, 61, 3600].map(expiresMinutes)).toEqual([1, 1, 1, 2, 60]);
  });
});
