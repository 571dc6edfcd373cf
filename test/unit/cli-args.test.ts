import { describe, expect, test } from 'vitest';
import { parseCommandLine } from '../../src/cli/args.js';
import type { ArgsError, ParsedCommand } from '../../src/cli/args.js';
import { COMMANDS, COMMON_FLAGS } from '../../src/cli/help.js';
import { parseIsoTime } from '../../src/cli/iso-time.js';
import { OVERRIDES } from '../../src/config/overrides.js';

function ok(argv: string[]): ParsedCommand {
  const r = parseCommandLine(argv);
  if (r.command === 'error') throw new Error(`${r.error}\n${r.usage}`);
  return r;
}

function err(argv: string[]): ArgsError {
  const r = parseCommandLine(argv);
  if (r.command !== 'error') throw new Error(`expected an error, got ${JSON.stringify(r)}`);
  return r;
}

function helpText(argv: string[]): string {
  const r = ok(argv);
  if (r.command !== 'help') throw new Error(`expected help, got ${r.command}`);
  return r.text;
}

describe('subcommands', () => {
  test('serve with --config and every override', () => {
    expect(ok(['serve', '--config', 'my.yaml', '--bind', '::', '--http-port', '0', '--https-port=8443',
      '--tftp-port', '69', '--ftp-port', '21', '--admin-port', '9000', '--state-dir', 'var', '--root', 'r',
      '--inventory', 'inv.yaml', '--public-host', 'prov.example', '--log-level', 'debug'])).toEqual({
      command: 'serve',
      configFile: 'my.yaml',
      overrides: {
        bind: '::', httpPort: '0', httpsPort: '8443', tftpPort: '69', ftpPort: '21', adminPort: '9000',
        stateDir: 'var', root: 'r', inventory: 'inv.yaml', publicHost: 'prov.example', logLevel: 'debug',
      },
    });
  });

  test('serve bare; the last repeated flag wins; ports stay text for loadConfig to judge', () => {
    expect(ok(['serve'])).toEqual({ command: 'serve', overrides: {} });
    expect(ok(['serve', '--http-port', '1', '--http-port', 'abc'])).toEqual({ command: 'serve', overrides: { httpPort: 'abc' } });
  });

  test('check', () => {
    expect(ok(['check', '--config', '/etc/provd/provd.yaml', '--inventory', 'x'])).toEqual({
      command: 'check', configFile: '/etc/provd/provd.yaml', overrides: { inventory: 'x' },
    });
  });

  test('render normalises the MAC', () => {
    expect(ok(['render', '00:15:65:F4:29:A4', 'T46U/001565f429a4.boot', '--config', 'c.yaml'])).toEqual({
      command: 'render', mac: '001565f429a4', file: 'T46U/001565f429a4.boot', configFile: 'c.yaml', overrides: {},
    });
    expect(ok(['render', '--state-dir', 's', '0015.65f4.29a4', 'y000000000000.boot'])).toMatchObject({
      mac: '001565f429a4', file: 'y000000000000.boot', overrides: { stateDir: 's' },
    });
  });

  test('import', () => {
    expect(ok(['import', 'devices.csv'])).toEqual({ command: 'import', csv: 'devices.csv', overrides: {} });
    expect(ok(['import', 'devices.csv', '--out', 'inv.yaml', '--config', 'c.yaml'])).toEqual({
      command: 'import', csv: 'devices.csv', out: 'inv.yaml', configFile: 'c.yaml', overrides: {},
    });
  });

  test('ledger', () => {
    expect(ok(['ledger'])).toEqual({ command: 'ledger', json: false, overrides: {} });
    expect(ok(['ledger', '--mac', '00-15-65-f4-29-a4', '--since', '2024-05-01T10:00:00+02:00', '--limit', '20', '--json'])).toEqual({
      command: 'ledger', mac: '001565f429a4', since: Date.UTC(2024, 4, 1, 8), limit: 20, json: true, overrides: {},
    });
    expect(ok(['ledger', '--since', '2024-05-01'])).toMatchObject({ since: Date.UTC(2024, 4, 1) });
  });

  test('status', () => {
    expect(ok(['status'])).toEqual({ command: 'status', json: false, overrides: {} });
    expect(ok(['status', '001565F429A4', '--json', '--config', 'c.yaml'])).toEqual({
      command: 'status', mac: '001565f429a4', json: true, configFile: 'c.yaml', overrides: {},
    });
  });

  test('positionals after -- are taken literally', () => {
    expect(ok(['import', '--', '--odd-name.csv'])).toMatchObject({ csv: '--odd-name.csv' });
  });

  test('--version', () => {
    expect(ok(['--version'])).toEqual({ command: 'version' });
  });
});

describe('errors', () => {
  const topUsage = /^Usage: provd <command>.*\nCommands: serve, check, render, import, ledger, status, logs, backup, dhcp, hash-password, resync\n/s;

  test('no command, unknown command, option before the command', () => {
    expect(err([])).toMatchObject({ error: 'no command given', usage: expect.stringMatching(topUsage) });
    expect(err(['sreve'])).toMatchObject({ error: "unknown command 'sreve'", usage: expect.stringMatching(topUsage) });
    expect(err(['--config', 'x', 'serve']).error).toBe('unknown option --config (options go after the command)');
    expect(err(['help', 'nope']).error).toBe("no help for unknown command 'nope'");
  });

  test('backup needs --out', () => {
    expect(parseCommandLine(['backup', '--out', 'copy.sqlite', '--state-dir', '/var/lib/provd'])).toEqual({
      command: 'backup', out: 'copy.sqlite', overrides: { stateDir: '/var/lib/provd' },
    });
    expect(err(['backup']).error).toBe('--out FILE is required (where to write the copy)');
    expect(err(['backup', '--out=']).error).toBe('--out FILE is required (where to write the copy)');
    expect(err(['backup', 'copy.sqlite']).error).toBe("unexpected argument 'copy.sqlite'");
  });

  test('unknown flags, including ones another subcommand has', () => {
    const e = err(['serve', '--verbose']);
    expect(e).toEqual({
      command: 'error',
      error: "unknown option --verbose for 'serve'",
      usage: "Usage: provd serve [options]\nRun 'provd help serve' for its options.",
    });
    expect(err(['serve', '--json']).error).toBe("unknown option --json for 'serve'");
    expect(err(['status', '--out', 'x']).error).toBe("unknown option --out for 'status'");
    expect(err(['check', '-x']).error).toBe("unknown option -x for 'check'");
  });

  test('flags missing their value or given one they do not take', () => {
    expect(err(['serve', '--config']).error).toBe('--config needs a value (FILE)');
    expect(err(['serve', '--config', '--http-port', '1']).error).toBe('--config needs a value (FILE)');
    expect(err(['serve', '--config=']).error).toBe('--config needs a file name');
    expect(err(['ledger', '--json=yes']).error).toBe('--json takes no value');
    expect(err(['import', 'a.csv', '--out=']).error).toBe('--out needs a file name');
  });

  test('missing and extra positionals', () => {
    expect(err(['render']).error).toBe('missing <mac>');
    expect(err(['render', '001565f429a4']).error).toBe('missing <file>');
    expect(err(['render', '001565f429a4', 'a.cfg', 'b.cfg']).error).toBe("unexpected argument 'b.cfg'");
    expect(err(['import']).error).toBe('missing <devices.csv>');
    expect(err(['serve', 'now']).error).toBe("unexpected argument 'now'");
    expect(err(['status', '001565f429a4', '001565f429a5']).error).toBe("unexpected argument '001565f429a5'");
    expect(err(['render', 'x', 'y']).usage).toBe("Usage: provd render <mac> <file> [options]\nRun 'provd help render' for its options.");
  });

  test('bad MACs', () => {
    expect(err(['render', '00:15:65:f4:29', 'a.cfg']).error).toBe("not a MAC address: '00:15:65:f4:29'");
    expect(err(['status', 'zz1565f429a4']).error).toBe("not a MAC address: 'zz1565f429a4'");
    expect(err(['ledger', '--mac', '00:15-65:f4:29:a4']).error).toBe("--mac: not a MAC address: '00:15-65:f4:29:a4'");
  });

  test('bad --since', () => {
    for (const bad of ['yesterday', '2024-02-30', '2024-13-01', '2024-05-01T10:00', '2024-05-01T25:00Z', '1714550400']) {
      expect(err(['ledger', '--since', bad]).error)
        .toBe(`--since: not an ISO date or time: '${bad}' (e.g. 2024-05-01 or 2024-05-01T08:00:00Z)`);
    }
  });

  test('bad --limit', () => {
    for (const bad of ['0', 'ten', '1.5', '1000001', '-5', '']) {
      expect(err(['ledger', `--limit=${bad}`]).error).toBe(`--limit: expected a whole number from 1 to 1000000, got '${bad}'`);
    }
    expect(ok(['ledger', '--limit', '1000000'])).toMatchObject({ limit: 1_000_000 });
  });
});

describe('help', () => {
  test('top-level help lists every subcommand, from --help, -h and help', () => {
    const text = helpText(['--help']);
    expect(helpText(['-h'])).toBe(text);
    expect(helpText(['help'])).toBe(text);
    for (const c of COMMANDS) expect(text).toMatch(new RegExp(`^  ${c.name} +${c.purpose.slice(0, 20)}`, 'm'));
    expect(text).toContain('--version');
  });

  test.each(COMMANDS.map((c) => [c.name]))('%s --help mentions its purpose, usage, every flag and env var, an example', (name) => {
    const spec = COMMANDS.find((c) => c.name === name);
    if (!spec) throw new Error(name);
    const text = helpText([name, '--help']);
    expect(helpText(['help', name])).toBe(text);
    expect(helpText([name, '-h'])).toBe(text);
    // --help wins over other mistakes on the same line.
    expect(helpText([name, '--bogus', '--help'])).toBe(text);
    expect(text.split('\n')[0]).toBe(`provd ${name}: ${spec.purpose}`);
    expect(text).toContain(`Usage: provd ${name}`);
    for (const f of [...COMMON_FLAGS, ...spec.flags]) {
      expect(text).toMatch(new RegExp(`--${f.name}\\b${f.metavar ? ` ${f.metavar}` : ''}`));
    }
    for (const p of spec.positionals) expect(text).toContain(p.name);
    for (const o of OVERRIDES) expect(text).toContain(`env ${o.env}`);
    expect(text).toContain('env PROVD_CONFIG');
    expect(text).toMatch(/\nExamples?:\n  provd /);
  });

  test('every flag the help lists is accepted by the parser', () => {
    for (const spec of COMMANDS) {
      const pos0 = spec.name === 'render' ? ['001565f429a4', 'a.cfg'] : spec.name === 'import' ? ['a.csv']
        : spec.name === 'logs' || spec.name === 'resync' ? ['001565f429a4'] : spec.name === 'dhcp' ? ['snippet', '--for', 'isc'] : spec.name === 'backup' ? ['--out', 'copy.sqlite'] : [];
      for (const f of [...COMMON_FLAGS, ...spec.flags]) {
        // `logs` takes a MAC, or --summary / --unattributed instead of one.
        const pos = spec.name === 'logs' && (f.name === 'summary' || f.name === 'unattributed') ? [] : pos0;
        const value = f.name === 'mac' ? '001565f429a4' : f.name === 'since' ? '2024-01-01' : f.name === 'limit' || f.name === 'lines' || f.name === 'rate' ? '5'
          : f.name === 'for' ? 'kea' : f.name === 'wave' ? '1,5' : 'v';
        const argv = [spec.name, ...pos, `--${f.name}`, ...(f.metavar ? [value] : [])];
        expect(parseCommandLine(argv).command, argv.join(' ')).toBe(spec.name);
      }
    }
  });
});

describe('parseIsoTime', () => {
  test.each([
    ['2024-05-01', Date.UTC(2024, 4, 1)],
    ['2024-05-01T08:00:00Z', Date.UTC(2024, 4, 1, 8)],
    ['2024-05-01T08:00Z', Date.UTC(2024, 4, 1, 8)],
    ['2024-05-01 08:00:00.25z', Date.UTC(2024, 4, 1, 8, 0, 0, 250)],
    ['2024-05-01T08:00:00.123456789Z', Date.UTC(2024, 4, 1, 8, 0, 0, 123)],
    ['2024-05-01T10:30:00+02:30', Date.UTC(2024, 4, 1, 8)],
    ['2024-05-01T03:00:00-0500', Date.UTC(2024, 4, 1, 8)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
  ])('%s', (text, ms) => {
    expect(parseIsoTime(text)).toBe(ms);
  });

  test.each(['2023-02-29', '2024-04-31', '2024-00-10', '2024-05-01T08:60Z', '2024-05-01T08:00:60Z',
    '2024-05-01T08:00:00+24:00', '2024-05-01T08:00:00', '24-05-01', 'now', ''])('rejects %j', (text) => {
    expect(parseIsoTime(text)).toBeUndefined();
  });
});

describe('logs', () => {
  test('a MAC, or --summary; --follow only with a MAC', () => {
    expect(parseCommandLine(['logs', '00:15:65:F4:29:A4', '--follow'])).toMatchObject({ command: 'logs', mac: '001565f429a4', follow: true, lines: 100 });
    expect(parseCommandLine(['logs', '--summary', '--json'])).toMatchObject({ command: 'logs', summary: true, json: true });
    expect(parseCommandLine(['logs'])).toMatchObject({ command: 'error', error: 'give a device MAC, --unattributed, or --summary for every device (one of them)' });
    expect(parseCommandLine(['logs', '--unattributed'])).toMatchObject({ command: 'logs', unattributed: true });
    expect(parseCommandLine(['logs', '001565f429a4', '--summary'])).toMatchObject({ command: 'error' });
    expect(parseCommandLine(['logs', '--summary', '--follow'])).toMatchObject({ command: 'error' });
    expect(parseCommandLine(['logs', 'nonsense'])).toMatchObject({ command: 'error', error: "not a MAC address: 'nonsense'" });
    expect(parseCommandLine(['logs', '001565f429a4', '--lines', 'x'])).toMatchObject({ command: 'error' });
  });
});

describe('dhcp snippet', () => {
  test('parses the target and refuses what is not one', () => {
    expect(parseCommandLine(['dhcp', 'snippet', '--for', 'dnsmasq'])).toMatchObject({ command: 'dhcp', action: 'snippet', target: 'dnsmasq' });
    expect(parseCommandLine(['dhcp', 'snippet'])).toMatchObject({ command: 'error', error: expect.stringContaining('--for is required') });
    expect(parseCommandLine(['dhcp', 'leases', '--for', 'isc'])).toMatchObject({ command: 'error', error: expect.stringContaining("unknown dhcp action 'leases'") });
    expect(parseCommandLine(['dhcp', 'snippet', '--for', 'bind'])).toMatchObject({ command: 'error', error: expect.stringContaining("unknown server 'bind'") });
  });
});

describe('resync arguments', () => {
  test('MACs, filters, rate and waves', () => {
    const r = parseCommandLine(['resync', '80:5e:c0:d5:7d:72', '001565f429a4', '--reboot', '--rate', '2.5/s', '--wave', '1,5,25,100']);
    expect(r).toMatchObject({ command: 'resync', resync: { macs: ['805ec0d57d72', '001565f429a4'], reboot: true, rate: 2.5, waves: [1, 5, 25, 100], pending: false } });
    expect(parseCommandLine(['resync', '--pending', '--site', 'hq'])).toMatchObject({ resync: { pending: true, site: 'hq', macs: [] } });
  });
  test.each([
    [['resync'], 'name devices'],
    [['resync', 'nope'], "not a MAC address: 'nope'"],
    [['resync', '--pending', '--rate', '0'], '--rate'],
    [['resync', '--pending', '--wave', '5,5'], '--wave'],
    [['resync', '--pending', '--wave', '1,x'], '--wave'],
  ])('%j is refused', (argv, message) => {
    const r = parseCommandLine(argv);
    expect(r.command).toBe('error');
    expect((r as { error: string }).error).toContain(message);
  });
});
