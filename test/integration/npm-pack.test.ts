/**
 * `npm pack` produces a package that installs and runs on its own: the tarball is installed into
 * an empty folder (dependencies from the registry, better-sqlite3 built there), and the installed
 * `provd` bin prints its version and checks the example config it ships.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from './daemon-harness.js';

const run = promisify(execFile);
const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('installs from the tarball and runs provd --version and provd check on the shipped config', async () => {
    const out = mkdtempSync(join(tmpdir(), 'provd-pack-'));
    const prefix = mkdtempSync(join(tmpdir(), 'provd-install-'));
    dirs.push(out, prefix);
    // --ignore-scripts: `prepare` (tsc) already ran for this checkout's dist/; the tarball takes it as is.
    await run('npm', ['pack', '--ignore-scripts', '--pack-destination', out], { cwd: REPO });
    const tarball = readdirSync(out).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--omit=dev', join(out, tarball!)], {
      cwd: prefix,
      timeout: 600_000,
    });
    const bin = join(prefix, 'node_modules', '.bin', 'provd');
    const version = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect((await run(bin, ['--version'])).stdout.trim()).toBe(`provd ${version.version}`);
    const installed = join(prefix, 'node_modules', 'provd');
    const check = await run(bin, ['check', '--config', join(installed, 'config', 'provd.yaml')], { cwd: prefix });
    expect(check.stdout).toMatch(/^ok: \d+ devices, \d+ profiles, \d+ files rendered/);
    // Only what a user needs: no tests, sources or benchmarks in the package.
    for (const absent of ['test', 'src', 'bench']) expect(readdirSync(installed)).not.toContain(absent);
  }, 600_000);
});
