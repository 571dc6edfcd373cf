import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { ConfigProblem, LoadConfigInput, LoadConfigResult } from '../../src/config/load.js';
import { formatProblem } from '../../src/config/problems.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = path.join(repo, 'test/fixtures/config');
const defaultFile = path.join(repo, 'config/provd.yaml');
const cwd = '/srv/provd-run';

function load(input: Partial<LoadConfigInput>): LoadConfigResult {
  return loadConfig({ env: {}, flags: {}, defaultFile, cwd, ...input });
}

function fixture(name: string): string {
  return path.join(fixtures, name);
}

function problemsOf(result: LoadConfigResult): ConfigProblem[] {
  if (result.ok) throw new Error(`expected problems, got a config from ${result.file}`);
  return result.problems;
}

function configOf(result: LoadConfigResult) {
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  return result.config;
}

describe('embedded default config/provd.yaml', () => {
  test('loads with zero problems and the documented values', () => {
    const result = load({});
    const config = configOf(result);
    expect(result.file).toBe(defaultFile);
    expect(config.http).toEqual({ enabled: true, port: 8080, keep_alive_seconds: 30 });
    expect(config.https).toEqual({ port: 8443 });
    expect(config.admin).toMatchObject({ enabled: true, bind: '127.0.0.1', port: 8081 });
    expect(config.tftp).toMatchObject({ enabled: false, port: 6969, single_port: false, max_blksize: 1468, max_windowsize: 64, allow_write: false });
    expect(config.ftp).toMatchObject({ enabled: false, port: 2121, require_tls: false, anonymous: false, users: [] });
    expect(config.state_dir).toBe(path.join(repo, 'var'));
    expect(config.root).toBe(path.join(repo, 'root'));
    expect(config.inventory).toBe(path.join(repo, 'config/inventory'));
    expect(config.templates).toEqual({ shipped: path.join(repo, 'templates'), override: path.join(repo, 'templates.local') });
    expect(config.security.secret_files).toBe('named');
    expect(config.security.allowed_networks).toContain('::1/128');
    expect(config.log.level).toBe('info');
  });

  test('sets every value the schema would default, so the file documents them all', () => {
    // An empty file gets the schema defaults; apart from paths the embedded file must agree.
    const fromEmpty = configOf(load({ file: fixture('empty.yaml') }));
    const embedded = configOf(load({}));
    const withoutPaths = (c: typeof embedded) => ({ ...c, state_dir: '', root: '', inventory: '', templates: null });
    expect(withoutPaths(embedded)).toEqual(withoutPaths(fromEmpty));
  });

  test('is deeply frozen', () => {
    const config = configOf(load({}));
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
    expect(Object.isFrozen(config.security.allowed_networks)).toBe(true);
    expect(Object.isFrozen(config.security.scanner)).toBe(true);
    expect(() => { (config.http as { port: number }).port = 1; }).toThrow(TypeError);
    expect(() => { (config.security.allowed_networks as string[]).push('0.0.0.0/0'); }).toThrow(TypeError);
  });
});

describe('choosing the file', () => {
  test('--config beats PROVD_CONFIG, which beats the default; relative names use cwd', () => {
    expect(load({ file: 'valid.yaml', cwd: fixtures, env: { PROVD_CONFIG: fixture('empty.yaml') } }).file).toBe(fixture('valid.yaml'));
    expect(load({ env: { PROVD_CONFIG: 'empty.yaml' }, cwd: fixtures }).file).toBe(fixture('empty.yaml'));
    expect(load({ env: { PROVD_CONFIG: '' } }).file).toBe(defaultFile);
  });

  test('a missing file is one problem naming where its name came from', () => {
    expect(problemsOf(load({ file: 'nope.yaml' }))).toEqual([
      { file: '/srv/provd-run/nope.yaml', source: 'flag', message: 'cannot read config file (from --config): no such file' },
    ]);
    expect(problemsOf(load({ env: { PROVD_CONFIG: '/nonexistent/provd.yaml' } }))).toEqual([
      { file: '/nonexistent/provd.yaml', source: 'env', message: 'cannot read config file (from PROVD_CONFIG): no such file' },
    ]);
    expect(problemsOf(load({ file: fixtures }))[0]?.message).toBe('cannot read config file (from --config): it is a folder, not a file');
  });
});

describe('precedence file < env < flags', () => {
  test('each override lands in its place; a flag beats its variable, which beats the file', () => {
    const config = configOf(load({
      file: fixture('valid.yaml'),
      env: {
        PROVD_BIND: '198.51.100.1', PROVD_HTTP_PORT: '1111', PROVD_HTTPS_PORT: '2222', PROVD_TFTP_PORT: '3333',
        PROVD_FTP_PORT: '4444', PROVD_ADMIN_PORT: '5555', PROVD_PUBLIC_HOST: 'prov.example', PROVD_LOG_LEVEL: 'warn',
      },
      flags: { httpPort: '0', adminPort: '6666', logLevel: 'trace' },
    }));
    expect(config.bind).toBe('198.51.100.1'); // env over file's 192.0.2.10
    expect(config.http.port).toBe(0); // flag over env over file
    expect(config.https.port).toBe(2222);
    expect(config.tftp.port).toBe(3333);
    expect(config.ftp.port).toBe(4444);
    expect(config.admin).toMatchObject({ bind: '127.0.0.1', port: 6666 });
    expect(config.public_host).toBe('prov.example');
    expect(config.log.level).toBe('trace');
  });

  test('without overrides the file wins over schema defaults', () => {
    const config = configOf(load({ file: fixture('valid.yaml') }));
    expect(config.bind).toBe('192.0.2.10');
    expect(config.http.port).toBe(18080);
    expect(config.log.level).toBe('debug');
  });

  test('--bind sets the top-level bind only', () => {
    const config = configOf(load({ flags: { bind: '::' } }));
    expect(config.bind).toBe('::');
    expect(config.admin.bind).toBe('127.0.0.1');
    expect(config.http.bind).toBeUndefined();
  });

  test('an empty environment variable counts as unset', () => {
    const config = configOf(load({ file: fixture('valid.yaml'), env: { PROVD_HTTP_PORT: '', PROVD_ROOT: '' } }));
    expect(config.http.port).toBe(18080);
    expect(config.root).toBe(path.join(repo, 'test/fixtures/static'));
  });
});

describe('relative paths', () => {
  test('paths in the file resolve against the file\'s folder', () => {
    const config = configOf(load({ file: fixture('valid.yaml') }));
    expect(config.state_dir).toBe(path.join(fixtures, 'state'));
    expect(config.root).toBe(path.join(repo, 'test/fixtures/static'));
    expect(config.inventory).toBe(path.join(fixtures, 'inventory.yaml'));
    expect(config.https.cert).toBe(path.join(fixtures, 'tls/provd.crt'));
    expect(config.https.key).toBe('/etc/provd/provd.key');
    expect(config.templates.override).toBe(path.join(fixtures, 'mine'));
  });

  test('paths from env and flags resolve against the working directory', () => {
    const config = configOf(load({
      file: fixture('valid.yaml'),
      env: { PROVD_STATE_DIR: 'from-env', PROVD_ROOT: 'root-env' },
      flags: { stateDir: 'from-flag', inventory: '../inv' },
    }));
    expect(config.state_dir).toBe('/srv/provd-run/from-flag');
    expect(config.root).toBe('/srv/provd-run/root-env');
    expect(config.inventory).toBe('/srv/inv');
  });

  test('unset shipped templates mean the package\'s own, not a folder next to the admin\'s file', () => {
    const config = configOf(load({ file: fixture('empty.yaml') }));
    expect(config.templates.shipped).toBe(path.join(repo, 'templates'));
    expect(config.templates.override).toBe(path.join(fixtures, 'templates.local'));
    expect(config.state_dir).toBe(path.join(fixtures, 'var'));
  });
});

describe('problems, each with its exact place', () => {
  const at = (name: string, line: number, column: number, message: string): ConfigProblem =>
    ({ file: fixture(name), line, column, source: 'file', message });

  test('unknown keys point at the key, with a suggestion or the allowed keys', () => {
    expect(problemsOf(load({ file: fixture('unknown-key.yaml') }))).toEqual([
      at('unknown-key.yaml', 2, 3, "http.prot: unknown key (did you mean 'port'?)"),
      at('unknown-key.yaml', 3, 1, "statedir: unknown key (did you mean 'state_dir'?)"),
    ]);
  });

  test('wrong types point at the value', () => {
    expect(problemsOf(load({ file: fixture('wrong-type.yaml') }))).toEqual([
      at('wrong-type.yaml', 2, 12, 'http.enabled: Invalid input: expected boolean, received string'),
      at('wrong-type.yaml', 4, 10, 'log.level: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"'),
    ]);
  });

  test('ports out of range in the file', () => {
    expect(problemsOf(load({ file: fixture('bad-port.yaml') }))).toEqual([
      at('bad-port.yaml', 2, 9, 'https.port: Too big: expected number to be <=65535'),
      at('bad-port.yaml', 4, 9, 'tftp.port: Too small: expected number to be >=0'),
    ]);
  });

  test('YAML syntax errors carry line and column, and nothing is validated past them', () => {
    expect(problemsOf(load({ file: fixture('syntax-error.yaml') }))).toEqual([
      at('syntax-error.yaml', 3, 1, 'All mapping items must start at the same column'),
      at('syntax-error.yaml', 5, 1, 'Flow map in block collection must be sufficiently indented and end with a }'),
    ]);
  });

  test('duplicate keys are an error, not a silent last-wins', () => {
    expect(problemsOf(load({ file: fixture('duplicate-key.yaml') }))).toEqual([
      at('duplicate-key.yaml', 4, 1, 'Map keys must be unique'),
    ]);
  });

  test('bad ports from the environment and flags name the variable or flag', () => {
    expect(problemsOf(load({ env: { PROVD_HTTP_PORT: '80x' }, flags: { tftpPort: '65536' } }))).toEqual([
      { source: 'env', message: "PROVD_HTTP_PORT: expected a port number from 0 to 65535, got '80x'" },
      { source: 'flag', message: "--tftp-port: expected a port number from 0 to 65535, got '65536'" },
    ]);
    for (const bad of ['-1', '8080.5', ' 80', '1e3', '']) {
      expect(problemsOf(load({ flags: { adminPort: bad } }))).toEqual([
        { source: 'flag', message: `--admin-port: expected a port number from 0 to 65535, got '${bad}'` },
      ]);
    }
  });

  test('a schema-invalid override value names the variable or flag that supplied it', () => {
    expect(problemsOf(load({ env: { PROVD_LOG_LEVEL: 'loud' } }))).toEqual([
      { source: 'env', message: 'PROVD_LOG_LEVEL: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"' },
    ]);
    // When both are set the flag's value is the one validated, and blamed.
    expect(problemsOf(load({ env: { PROVD_LOG_LEVEL: 'info' }, flags: { logLevel: 'chatty' } }))[0]?.message)
      .toMatch(/^--log-level: Invalid option/);
    expect(problemsOf(load({ flags: { bind: '', root: '' } }))).toEqual([
      { source: 'flag', message: '--bind: must not be empty' },
      { source: 'flag', message: '--root: must not be empty' },
    ]);
  });

  test('every problem of every source is reported at once, file ones in reading order', () => {
    const problems = problemsOf(load({
      file: fixture('many-problems.yaml'),
      env: { PROVD_FTP_PORT: 'ftp' },
      flags: { httpsPort: '99999' },
    }));
    expect(problems).toEqual([
      at('many-problems.yaml', 1, 7, 'bind: Invalid input: expected string, received number'),
      at('many-problems.yaml', 3, 9, 'http.port: Too big: expected number to be <=65535'),
      at('many-problems.yaml', 4, 3, 'http.colour: unknown key (allowed: enabled, bind, port, keep_alive_seconds)'),
      at('many-problems.yaml', 6, 17, 'security.secret_files: Invalid option: expected one of "named"|"user-agent"|"user-agent-required"|"auth"|"lease"'),
      at('many-problems.yaml', 9, 7, 'security.allowed_networks[1]: expected an address block such as 192.168.0.0/16 or fc00::/7'),
      // A missing key points at the mapping that lacks it.
      at('many-problems.yaml', 12, 9, 'security.auth.folders[0].path: missing (expected string)'),
      at('many-problems.yaml', 14, 13, 'security.auth.folders[0].users[0]: give exactly one of password or password_env'),
      { source: 'env', message: "PROVD_FTP_PORT: expected a port number from 0 to 65535, got 'ftp'" },
      { source: 'flag', message: "--https-port: expected a port number from 0 to 65535, got '99999'" },
    ]);
  });

  test('syntax errors and override errors are reported together', () => {
    const problems = problemsOf(load({ file: fixture('syntax-error.yaml'), flags: { httpPort: 'x' } }));
    expect(problems.map((p) => p.source)).toEqual(['file', 'file', 'flag']);
  });

  test('an empty section, a list at the top, an empty path', () => {
    expect(problemsOf(load({ file: fixture('null-section.yaml') }))).toEqual([
      at('null-section.yaml', 1, 1, 'http: Invalid input: expected object, received null'),
    ]);
    expect(problemsOf(load({ file: fixture('list-root.yaml') }))).toEqual([
      at('list-root.yaml', 1, 1, '(top level): Invalid input: expected object, received array'),
    ]);
    // '' would resolve to the config folder itself and serve it: refuse.
    expect(problemsOf(load({ file: fixture('empty-root.yaml') }))).toEqual([
      at('empty-root.yaml', 1, 7, 'root: must not be empty'),
    ]);
  });

  test('rejects address blocks the access policy could not use, each at its place', () => {
    expect(problemsOf(load({ file: fixture('bad-networks.yaml') }))).toEqual([
      at('bad-networks.yaml', 2, 34, 'security.allowed_networks[1]: expected an address block such as 192.168.0.0/16 or fc00::/7'),
      at('bad-networks.yaml', 2, 47, 'security.allowed_networks[2]: expected an address block such as 192.168.0.0/16 or fc00::/7'),
    ]);
  });

  test('formatProblem gives file:line:column: message', () => {
    const [first] = problemsOf(load({ file: fixture('bad-port.yaml') }));
    expect(first && formatProblem(first)).toBe(`${fixture('bad-port.yaml')}:2:9: https.port: Too big: expected number to be <=65535`);
    expect(formatProblem({ source: 'env', message: 'PROVD_X: bad' })).toBe('PROVD_X: bad');
  });
});

describe('secrets by reference', () => {
  test('password_env is kept for main to resolve', () => {
    const config = configOf(load({ file: fixture('auth.yaml') }));
    expect(config.security.auth.folders).toEqual([
      { path: 'T23G_1', realm: 'activation', users: [{ user: 't23g', password_env: 'PROVD_T23G_PASSWORD' }] },
    ]);
  });
});

describe('admin section', () => {
  test('a bad cron expression, time zone or non-HTTPS source is a problem at its line', () => {
    const problems = problemsOf(load({ file: fixture('bad-admin.yaml') }));
    expect(problems.map((p) => [(p as { line?: number }).line, p.message])).toEqual([
      [4, expect.stringContaining('IANA time zone')],
      [5, expect.stringContaining('cron expression')],
      [7, expect.stringContaining('https://')],
    ]);
  });
});
