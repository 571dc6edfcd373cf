/**
 * `provd check` (the built binary) on the example inventory with broken encryption keys,
 * activation codes and PIN files: every problem with file:line:column, exit 1.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, REPO } from './daemon-harness.js';

const execFileP = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'yealink-crypto-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function check(inventory: string): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [BIN, 'check', '--inventory', inventory], { cwd: REPO, encoding: 'utf8' });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; code?: number };
    return { stdout: x.stdout ?? '', stderr: x.stderr ?? '', code: typeof x.code === 'number' ? x.code : 1 };
  }
}

describe('provd check on encryption, activation and PIN settings', () => {
  it('names file, line and column of each bad key, code and folder', async () => {
    const inventory = join(dir, 'inventory');
    cpSync(join(REPO, 'config', 'inventory'), inventory, { recursive: true });
    const file = join(inventory, 'devices-yealink-secure.yaml');
    const good = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      good
        .replace('key: "Demo-Common-Key1"', 'key: "Demo-Common-Key"')
        .replace('mac_key: "Demo-Mac-Key-001"', 'mac_key: "Demo Mac Key 001"')
        .replace('code: "*11"', 'code: "*11x"')
        .replace('    folder: act/sales\n    profile', '    folder: act/sale\n    profile'),
    );
    const r = await check(inventory);
    expect(r.code).toBe(1);
    const lines = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.includes('devices-yealink-secure.yaml'));
    const lineOf = (text: string): number => good.split('\n').findIndex((l) => l.includes(text)) + 1;
    const pinFolderLine = good.split('\n').findLastIndex((l) => l === '    folder: act/sales') + 1;
    expect(lines).toEqual([
      `${file}:${lineOf('key: "Demo-Common-Key1"')}:12: error: device 80:5e:c0:11:22:33: encryption.key must be exactly 16 characters long, got 15`,
      `${file}:${lineOf('mac_key: "Demo-Mac-Key-001"')}:16: error: device 80:5e:c0:11:22:33: encryption.mac_key may hold only 0-9 A-Z a-z # $ % * + , - . : = ? @ [ ] ^ _ { } ~; found " "`,
      `${file}:${lineOf('code: "*11"')}:11: error: code: an activation code is 1-32 of the digits 0-9, "*" and "#"`,
      `${file}:${pinFolderLine}:13: error: PIN A31: folder "act/sale" is not an activation folder (known: act/sales)`,
    ]);
  });
});
