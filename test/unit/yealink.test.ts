import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMac, type Mac } from '../../src/core/mac.js';
import type { ResolvedAccount, ResolvedDevice, Transport } from '../../src/inventory/types.js';
import { deviceContext, type ServerInfo } from '../../src/render/context.js';
import { createTemplateEngine, RenderError } from '../../src/render/engine.js';
import { createVendorRegistry } from '../../src/vendors/index.js';
import {
  expandYealinkWildcards,
  yealink,
  YEALINK_MODELS,
  YEALINK_VARIABLES,
  yealinkVarProblems,
} from '../../src/vendors/yealink.js';
import { hasYealinkWildcards } from '../../src/vendors/yealink-wildcards.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const engine = createTemplateEngine({ shipped: join(repo, 'templates'), override: join(repo, 'test', 'no-override') });
const server: ServerInfo = {
  host: '10.0.0.2',
  http_url: 'http://10.0.0.2:8080/',
  https_url: null,
  tftp_url: null,
  ftp_url: null,
  provisioning_url: 'http://10.0.0.2:8080/',
};

function mac(text: string): Mac {
  const m = parseMac(text);
  if (!m) throw new Error(text);
  return m;
}

function line(n: number, extra: Partial<ResolvedAccount> = {}): ResolvedAccount {
  return {
    line: n,
    user: `10${n}`,
    auth_id: `10${n}`,
    password: 'pw',
    display_name: '',
    label: '',
    registrar: { host: 'pbx.test', text: 'pbx.test' },
    transport: 'udp',
    srtp: 'off',
    expires: 3600,
    dns_mode: 'a',
    dns_failover: 'default',
    session_timer: false,
    vars: {},
    ...extra,
  };
}

function device(model: string, accounts: ResolvedAccount[], vars: Record<string, unknown> = {}): ResolvedDevice {
  return {
    mac: mac('001565f429a4'),
    vendor: 'yealink',
    model,
    pn: model,
    labels: [],
    accounts,
    vars,
    source: { file: 'devices.yaml', line: 3 },
  };
}

function macCfg(d: ResolvedDevice): string {
  const spec = yealink.deviceFiles(d).find((s) => s.name.endsWith('.cfg'));
  if (!spec) throw new Error('no cfg spec');
  return engine.render(spec.template, deviceContext(d, spec, server)).toString('utf8');
}

// Every row of the seed's table (vendors.md §2.2) with the §2.3 account count and [MODEL] token.
const SEED_TABLE: readonly [name: string, file: string, accounts: number, token: string | null][] = [
  ['CP960', 'y000000000073.cfg', 1, 'CP960'],
  ['VP59', 'y000000000091.cfg', 16, 'VP59'],
  ['T58A', 'y000000000058.cfg', 16, 'T58'],
  ['T57W', 'y000000000097.cfg', 16, 'T57W'],
  ['T54W', 'y000000000096.cfg', 16, 'T54W'],
  ['T53W', 'y000000000095.cfg', 12, 'T53W'],
  ['T53', 'y000000000095.cfg', 12, 'T53'],
  ['T48U', 'y000000000109.cfg', 16, 'T48U'],
  ['T46U', 'y000000000108.cfg', 16, 'T46U'],
  ['T43U', 'y000000000107.cfg', 12, 'T43U'],
  ['T42U', 'y000000000116.cfg', 6, 'T42U'],
  ['T29G', 'y000000000046.cfg', 16, 'T29G'],
  ['T23P', 'y000000000044.cfg', 3, 'T23P'],
  ['T23G', 'y000000000044.cfg', 3, 'T23G'],
  ['T19P_E2', 'y000000000053.cfg', 1, 'T19P_E2'],
  ['CP920', 'y000000000078.cfg', 1, 'CP920'],
  ['W52P', 'y000000000025.cfg', 5, null],
  ['W56P', 'y000000000025.cfg', 5, null],
  ['T48S', 'y000000000065.cfg', 16, 'T48S'],
  ['T46S', 'y000000000066.cfg', 16, 'T46S'],
  ['T42S', 'y000000000067.cfg', 12, 'T42S'],
  ['T41S', 'y000000000068.cfg', 6, 'T41S'],
  ['T48G', 'y000000000035.cfg', 16, 'T48G'],
  ['T46G', 'y000000000028.cfg', 16, 'T46G'],
  ['T42G', 'y000000000029.cfg', 12, 'T42G'],
  ['T41P', 'y000000000036.cfg', 6, 'T41P'],
  ['T40P', 'y000000000054.cfg', 3, 'T40P'],
  ['T40G', 'y000000000076.cfg', 3, 'T40G'],
  ['T27G', 'y000000000069.cfg', 6, 'T27G'],
  ['T21P_E2', 'y000000000052.cfg', 2, 'T21P_E2'],
  ['CP860', 'y000000000037.cfg', 1, null],
  ['W53P', 'y000000000077.cfg', 8, null],
  ['W60P', 'y000000000077.cfg', 8, null],
  ['CP930W-Base', 'y000000000077.cfg', 1, null],
];

describe('model table', () => {
  it('has exactly the seed rows', () => {
    expect(YEALINK_MODELS.map((m) => m.name).sort()).toEqual(SEED_TABLE.map((r) => r[0]).sort());
  });

  it.each(SEED_TABLE)('%s reads %s, has %i accounts, token %s', (name, file, accounts, token) => {
    const model = yealink.findModel(name);
    expect(model?.name).toBe(name);
    const y = YEALINK_MODELS.find((m) => m.name === name);
    expect(y?.commonFile).toBe(file);
    expect(y?.accounts).toBe(accounts);
    expect(y?.token).toBe(token);
    expect(yealink.sharedFiles().some((s) => s.name === file)).toBe(true);
  });

  it('knows which models honour specific_model.excluded_mode (seed support table)', () => {
    const without = YEALINK_MODELS.filter((m) => m.excludedModeFirmware === null).map((m) => m.name).sort();
    expect(without).toEqual(['CP860', 'CP920', 'CP930W-Base', 'W52P', 'W53P', 'W56P', 'W60P']);
    expect(yealink.findModel('T46U') && YEALINK_MODELS.find((m) => m.name === 'T46U')?.bootFirmware).toBe(84);
    expect(YEALINK_MODELS.find((m) => m.name === 'T58A')?.bootFirmware).toBe(80);
  });

  it.each([
    ['SIP-T46U', 'T46U'],
    ['t46u', 'T46U'],
    ['  sip-t46u ', 'T46U'],
    ['T21P E2', 'T21P_E2'],
    ['T21 E2', 'T21P_E2'],
    ['SIP-T21P E2', 'T21P_E2'],
    ['T21P_E2', 'T21P_E2'],
    ['T19 E2', 'T19P_E2'],
    ['VP59', 'VP59'],
    ['SIP-VP59', 'VP59'],
    ['SIP-T58A', 'T58A'],
    ['T58', 'T58A'],
    ['cp930w-base', 'CP930W-Base'],
    ['W52P', 'W52P'],
  ])('finds %j as %s', (alias, name) => {
    expect(yealink.findModel(alias)?.name).toBe(name);
  });

  it.each(['T31G', 'T46', 'GXP2135', '', 'SIP-'])('does not know %j', (name) => {
    expect(yealink.findModel(name)).toBeUndefined();
  });
});

describe('parseUserAgent (vendors.md §1.2 samples)', () => {
  it.each([
    ['Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37', 'T46G', '28.72.0.1', '0015654aa937'],
    ['Yealink SIP-T31G 124.85.257.55 80:5e:c0:d5:7d:72', 'T31G', '124.85.257.55', '805ec0d57d72'],
    ['Yealink SIP VP-T49G 51.80.0.10 00:15:65:9b:5a:44', 'VP-T49G', '51.80.0.10', '0015659b5a44'],
    ['Yealink W52P 25.80.0.15 00:15:65:12:34:56', 'W52P', '25.80.0.15', '001565123456'],
    ['Yealink SIP-T56A 58.80.0.25 001565f429a4', 'T56A', '58.80.0.25', '001565f429a4'],
    ['Yealink SIP-T46U 108.86.0.20 80:5E:C0:D5:7D:72', 'T46U', '108.86.0.20', '805ec0d57d72'],
    ['Yealink SIP-T21P_E2 52.84.0.15 00:15:65:74:b1:50', 'T21P_E2', '52.84.0.15', '00156574b150'],
    ['VP530P 23.70.0.40 0015651a2b3c', 'VP530P', '23.70.0.40', '0015651a2b3c'],
    ['W52P 25.30.0.2 0015651a2b3d', 'W52P', '25.30.0.2', '0015651a2b3d'],
  ])('%s', (ua, model, version, macText) => {
    expect(yealink.parseUserAgent(ua)).toEqual({ vendor: 'yealink', model, version, mac: macText });
  });

  it('reads the legacy form without a MAC (trailing hardware version)', () => {
    expect(yealink.parseUserAgent('Yealink-T46G 28.71.0.81 28.1.0.128.0.0.0')).toEqual({
      vendor: 'yealink',
      model: 'T46G',
      version: '28.71.0.81',
    });
  });

  it.each([
    'Grandstream Model HW GXP2135 SW 1.0.7.97 DevId 000b828aa872',
    'Cisco-CP-7832-3PCC/11.0.1 (00562b043615)',
    'Fanvil X5U-V2 2.12.16.17 0c383e557eb1',
    'Htek UC903 2.0.4.2 00:1f:c1:1c:22:a9',
    'curl/8.5.0',
    'X6U 0.0.10 0c383e2cd782',
    '',
  ])('ignores %j', (ua) => {
    expect(yealink.parseUserAgent(ua)).toBeUndefined();
  });
});

describe('file names', () => {
  it.each([
    ['805ec0d57d72.boot', '805ec0d57d72'],
    ['805ec0d57d72.cfg', '805ec0d57d72'],
    ['805EC0D57D72.cfg', '805ec0d57d72'],
    ['805ec0d57d72-local.cfg', '805ec0d57d72'],
    ['805ec0d57d72-contact.xml', '805ec0d57d72'],
  ])('macInName(%s)', (name, expected) => {
    expect(yealink.macInName(name)).toBe(expected);
  });

  it.each(['y000000000000.boot', 'y000000000108.cfg', '000000000000.cfg', '805ec0d57d72.xml', 'x805ec0d57d72.cfg', '805ec0d57d7.cfg', '805ec0d57d72.cfg.bak', '80:5e:c0:d5:7d:72.cfg'])(
    'macInName(%s) is undefined',
    (name) => {
      expect(yealink.macInName(name)).toBeUndefined();
    },
  );

  it('accepts uploads of <mac>-local.cfg and <mac>-contact.xml only', () => {
    expect(yealink.matchUpload('805EC0D57D72-local.cfg')).toEqual({ mac: '805ec0d57d72', name: '805ec0d57d72-local.cfg', mode: 'replace' });
    expect(yealink.matchUpload('805ec0d57d72-Contact.XML')).toEqual({ mac: '805ec0d57d72', name: '805ec0d57d72-contact.xml', mode: 'replace' });
    for (const name of ['805ec0d57d72.cfg', '805ec0d57d72.boot', 'y000000000000.boot', '000000000000-local.cfg', 'local.cfg', '805ec0d57d72-local.cfg.tmp']) {
      expect(yealink.matchUpload(name)).toBeUndefined();
    }
  });

  it('lists every model name and its SIP- form as $PN folders', () => {
    const folders = yealink.pnFolders();
    expect(folders).toHaveLength(SEED_TABLE.length * 2);
    for (const [name] of SEED_TABLE) {
      expect(folders).toContain(name);
      expect(folders).toContain(`SIP-${name}`);
    }
  });

  it('shares the common boot and one cfg per distinct code, none secret', () => {
    const shared = yealink.sharedFiles();
    const distinct = [...new Set(SEED_TABLE.map((r) => r[1]))];
    expect(shared.map((s) => s.name)).toEqual(['y000000000000.boot', ...distinct]);
    expect(distinct).toHaveLength(29);
    for (const spec of shared) {
      expect(spec.secret).toBe(false);
      expect(spec.contentType).toBe('text/plain; charset=utf-8');
      expect(engine.has(spec.template)).toBe(true);
    }
  });

  it('makes <mac>.boot (not secret) and <mac>.cfg (secret), lower-case', () => {
    const d = { ...device('T46U', [line(1)]), mac: mac('80:5E:C0:D5:7D:72') };
    const specs = yealink.deviceFiles(d);
    expect(specs.map((s) => [s.name, s.secret, s.contentType])).toEqual([
      ['805ec0d57d72.boot', false, 'text/plain; charset=utf-8'],
      ['805ec0d57d72.cfg', true, 'text/plain; charset=utf-8'],
    ]);
    for (const spec of specs) expect(engine.has(spec.template)).toBe(true);
  });

  it('refuses a device whose model is not in the table', () => {
    expect(() => yealink.deviceFiles(device('T31G', [line(1)]))).toThrow(/T31G is not a Yealink model/);
  });
});

describe('<mac>.cfg accounts', () => {
  it('caps accounts at the model count by line number', () => {
    const text = macCfg(device('T21P_E2', [line(1), line(2), line(3)]));
    expect(text).toContain('account.2.user_name = 102\n');
    expect(text).not.toContain('account.3.');
    const cp960 = macCfg(device('CP960', [line(2)]));
    expect(cp960).not.toMatch(/^account\./m);
  });

  it('keys each account by its line number, not its position', () => {
    const text = macCfg(device('T23G', [line(3)]));
    expect(text).toContain('account.3.enable = 1\n');
    expect(text).not.toContain('account.1.');
  });

  it.each([
    ['udp', 0, '5060'],
    ['tcp', 1, '5060'],
    ['tls', 2, '5061'],
    ['dns-srv', 3, null],
  ] as const)('maps transport %s to %i with default port %s', (transport: Transport, code, port) => {
    const text = macCfg(device('T46U', [line(1, { transport })]));
    expect(text).toContain(`account.1.sip_server.1.transport_type = ${code}\n`);
    if (port === null) expect(text).not.toContain('account.1.sip_server.1.port');
    else expect(text).toContain(`account.1.sip_server.1.port = ${port}\n`);
  });

  it.each([
    ['off', 0],
    ['optional', 1],
    ['required', 2],
  ] as const)('maps SRTP %s to %i', (srtp, code) => {
    expect(macCfg(device('T46U', [line(1, { srtp })]))).toContain(`account.1.srtp_encryption = ${code}\n`);
  });

  it('fails loudly on a transport it cannot map, or a value that would add a line', () => {
    const bogus = line(1, { transport: 'sctp' as Transport });
    expect(() => macCfg(device('T46U', [bogus]))).toThrow(RenderError);
    const injected = line(1, { password: 'pw\naccount.1.sip_server.1.address = evil.test' });
    expect(() => macCfg(device('T46U', [injected]))).toThrow(/line break/);
  });

  it('writes the optional provisioning keys only when asked', () => {
    const plain = macCfg(device('T46U', [line(1)]));
    expect(plain).not.toContain('reboot_force');
    expect(plain).not.toContain('custom.protect');
    const asked = macCfg(device('T46U', [line(1)], { yealink_reboot_force: false, yealink_custom_protect: true }));
    expect(asked).toContain('static.auto_provision.reboot_force.enable = 0\n');
    expect(asked).toContain('static.auto_provision.custom.protect = 1\n');
  });

  it('writes the server URL concrete in a device file', () => {
    const text = macCfg(device('T46U', [line(1)], { yealink_server_url: 'https://p.test/$PN/$MAC/' }));
    expect(text).toContain('static.auto_provision.server.url = https://p.test/T46U/001565f429a4/\n');
    expect(text).toContain('static.auto_provision.url_wildcard.pn = T46U\n');
    const urlLines = text.split('\n').filter((l) => l.includes('://'));
    expect(urlLines).toHaveLength(1);
    expect(urlLines.some(hasYealinkWildcards)).toBe(false);
  });
});

describe('expandYealinkWildcards', () => {
  const values = { mac: mac('00156543EC97'), pn: 'T42G' };
  it.each([
    ['tftp://192.168.1.100/$PN', 'tftp://192.168.1.100/T42G'],
    ['tftp://192.168.1.100/$PN/$MAC.boot', 'tftp://192.168.1.100/T42G/00156543ec97.boot'],
    ['http://h/$MAC/$MAC.cfg', 'http://h/00156543ec97/00156543ec97.cfg'],
    ['http://h/plain/', 'http://h/plain/'],
    ['http://h/$pn/$mac', 'http://h/$pn/$mac'],
  ])('%s -> %s', (url, expected) => {
    expect(expandYealinkWildcards(url, values)).toBe(expected);
    expect(hasYealinkWildcards(expected)).toBe(false);
  });

  it('leaves $-sequences that are not wildcards alone', () => {
    expect(expandYealinkWildcards('http://h/$PNX/$pin.cfg', values)).toBe('http://h/T42GX/$pin.cfg');
    expect(hasYealinkWildcards('http://h/$PN')).toBe(true);
  });
});

describe('Yealink variables', () => {
  it('accepts good values and names each bad one', () => {
    expect(
      yealinkVarProblems({
        yealink_overwrite_mode: 0,
        yealink_excluded_mode: 1,
        yealink_server_url: 'https://prov.test/$PN/',
        yealink_repeat_minutes: 1440,
        yealink_time_zone: '+5:30',
        yealink_reboot_force: true,
        unrelated: { anything: 1 },
      }),
    ).toEqual([]);
    expect(
      yealinkVarProblems({
        yealink_overwrite_mode: 2,
        yealink_server_url: 'prov.test',
        yealink_repeat_minutes: 0,
        yealink_custom_sync: 'yes',
        ntp_server: 'a\nb',
      }),
    ).toEqual([
      'yealink_overwrite_mode must be 0 or 1, got 2',
      'yealink_server_url must be a tftp/ftp/http(s) URL without spaces, got "prov.test"',
      'yealink_repeat_minutes must be a whole number of minutes (1-43200), got 0',
      'ntp_server must be a one-line, non-empty string, got "a\\nb"',
      'yealink_custom_sync must be true or false, got "yes"',
    ]);
    expect(YEALINK_VARIABLES).toContain('yealink_overwrite_mode');
  });
});

describe('registry', () => {
  it('serves the Yealink module by id, model and User-Agent', () => {
    const registry = createVendorRegistry();
    expect(registry.get('Yealink')).toBe(yealink);
    expect(registry.modelsNamed('SIP-T46U').map((m) => [m.vendor.id, m.model.name])).toEqual([['yealink', 'T46U']]);
    expect(registry.parseUserAgent('Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37')?.mac).toBe('0015654aa937');
  });
});
