import { copyFile, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mac } from '../../src/core/mac.js';
import type { LoadResult } from '../../src/inventory/loaded.js';
import { InventoryWatcher } from '../../src/inventory/watch.js';
import { createVendorRegistry } from '../../src/vendors/index.js';

const registry = createVendorRegistry();
const EXAMPLE = join(import.meta.dirname, '../../config/inventory');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(20);
  }
}

const device = (mac: string, password: string): string =>
  `devices:\n  - mac: "${mac}"\n    model: T46U\n    accounts:\n      - { user: "1", password: ${password}, registrar: pbx.example.lan }\n`;

let dir: string;
const watchers: InventoryWatcher[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'provd-watch-'));
});
afterEach(async () => {
  for (const w of watchers.splice(0)) w.stop();
  await rm(dir, { recursive: true, force: true });
});

function watcher(path: string, onReload: () => void): InventoryWatcher {
  const w = new InventoryWatcher({ path, reload: onReload, debounceMs: 100, retryMs: 100 });
  watchers.push(w);
  w.start();
  return w;
}

describe('InventoryWatcher', () => {
  it('reloads once per burst of changes in the folder and ignores other files', async () => {
    await writeFile(join(dir, 'devices.yaml'), device('001565000001', 'a'));
    let reloads = 0;
    watcher(dir, () => reloads++);
    await sleep(150); // let the watch arm
    for (let i = 0; i < 5; i++) await writeFile(join(dir, 'devices.yaml'), device('001565000001', `p${i}`));
    await until(() => reloads === 1);
    await sleep(300);
    expect(reloads).toBe(1);

    await writeFile(join(dir, 'notes.txt'), 'not inventory');
    await writeFile(join(dir, '.devices.yaml.swp'), 'editor swap');
    await sleep(300);
    expect(reloads).toBe(1);

    // An editor saving by rename: write a hidden temp file, move it over the original.
    await writeFile(join(dir, '.devices.yaml.tmp'), device('001565000001', 'renamed'));
    await rename(join(dir, '.devices.yaml.tmp'), join(dir, 'devices.yaml'));
    await until(() => reloads === 2);

    await writeFile(join(dir, 'more.yml'), device('001565000002', 'b'));
    await until(() => reloads === 3);
  });

  it('keeps watching a single file that editors replace by rename', async () => {
    const file = join(dir, 'inventory.yaml');
    await writeFile(file, device('001565000001', 'a'));
    let reloads = 0;
    watcher(file, () => reloads++);
    await sleep(150);
    for (let round = 1; round <= 3; round++) {
      await writeFile(`${file}.new`, device('001565000001', `r${round}`));
      await rename(`${file}.new`, file);
      await until(() => reloads === round);
    }
    await writeFile(join(dir, 'other.yaml'), 'x: 1\n');
    await sleep(300);
    expect(reloads).toBe(3);
  });

  it('stops calling after stop()', async () => {
    await writeFile(join(dir, 'devices.yaml'), device('001565000001', 'a'));
    let reloads = 0;
    const w = watcher(dir, () => reloads++);
    await sleep(150);
    await writeFile(join(dir, 'devices.yaml'), device('001565000001', 'b'));
    w.stop();
    await sleep(300);
    expect(reloads).toBe(0);
  });

  it('waits for a missing inventory folder and reloads once it appears', async () => {
    const later = join(dir, 'inventory');
    let reloads = 0;
    const errors: string[] = [];
    const w = new InventoryWatcher({ path: later, reload: () => reloads++, debounceMs: 50, retryMs: 50, onError: (e) => errors.push(e.message) });
    watchers.push(w);
    w.start();
    await until(() => errors.length > 0);
    await mkdir(later);
    await until(() => reloads >= 1);
    expect(errors[0]).toMatch(/ENOENT/);
  });
});
