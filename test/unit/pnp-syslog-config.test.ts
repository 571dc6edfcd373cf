import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { formatProblem } from '../../src/config/problems.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

function loadText(text: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'provd-cfg-'));
  const file = path.join(dir, 'provd.yaml');
  writeFileSync(file, text);
  return loadConfig({ env: {}, flags: {}, defaultFile: path.join(repo, 'config/provd.yaml'), cwd: dir, file });
}

test('pnp and syslog are off by default, in the shipped file and with no file at all', () => {
  for (const result of [loadConfig({ env: {}, flags: {}, defaultFile: path.join(repo, 'config/provd.yaml'), cwd: '/srv' }), loadText('{}\n')]) {
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    expect(result.config.pnp).toMatchObject({ enabled: false, port: 5060, scheme: 'auto' });
    expect(result.config.syslog).toMatchObject({ enabled: false, port: 514, tcp: false });
  }
});

test('pnp.enabled without an interface is a config error with file and line', () => {
  const result = loadText('pnp:\n  enabled: true\n');
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.problems.map(formatProblem).join('\n')).toMatch(/provd\.yaml:2:3: pnp\.interface: pnp\.enabled needs pnp\.interface/);
});
