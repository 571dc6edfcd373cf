/**
 * Byte-stable output (issue 3 item 9): phones skip a file whose MD5 they already hold, so a render
 * that changes bytes without a change in the inventory costs every phone a reboot. The example
 * inventory (every file in config/inventory/, so each vendor's example devices) is rendered three
 * times by every vendor in the registry: twice in this thread with fresh loaders and engines, and
 * once through the daemon's reload path (worker thread, packed catalog, previous catalog kept).
 * Vendors registered later are covered without touching this test.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCheckedInventory } from '../../src/inventory/checked.js';
import type { Catalog } from '../../src/render/catalog.js';
import { buildCatalog } from '../../src/render/catalog.js';
import type { ServerInfo } from '../../src/render/context.js';
import { createTemplateEngine } from '../../src/render/engine.js';
import { createVendorRegistry } from '../../src/vendors/index.js';

const REPO = join(import.meta.dirname, '..', '..');
const INVENTORY = join(REPO, 'config', 'inventory');
const templates = { shipped: join(REPO, 'templates'), override: join(REPO, 'test', 'fixtures', 'no-such-templates.local') };
const server: ServerInfo = {
  host: '192.0.2.10',
  http_url: 'http://192.0.2.10:8080/',
  https_url: 'https://192.0.2.10:8443/',
  tftp_url: 'tftp://192.0.2.10/',
  ftp_url: null,
  provisioning_url: 'https://192.0.2.10:8443/',
};

async function renderFresh(now: number): Promise<Catalog> {
  const registry = createVendorRegistry();
  const loaded = await loadCheckedInventory(INVENTORY, registry);
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n'));
  return buildCatalog({ inventory: loaded.inventory, registry, engine: createTemplateEngine(templates), server, now });
}

/** name -> bytes of every rendered file; a file that failed to render fails the test. */
function files(catalog: Catalog): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of catalog.entries()) {
    if (!entry.file) throw new Error(`${entry.name} did not render: ${entry.error ?? ''}`);
    out.set(entry.name, entry.file.body);
  }
  return out;
}

describe('byte-stable rendering of the example inventory', () => {
  it('gives identical bytes for every file of every vendor, render after render and across a reload', async () => {
    const first = await renderFresh(1_000);
    const second = await renderFresh(2_000);
    expect(first.problems).toEqual([]);

    // Every registered vendor that serves files must have files in the example, or it is not being
    // checked here. Endpoints configured by hand (the WeLink video codecs) serve none.
    const vendors = new Set([...first.entries()].map((e) => e.vendor));
    const serving = createVendorRegistry().all().filter((v) => v.sharedFiles().length > 0);
    expect(serving.length).toBeGreaterThan(1);
    expect([...vendors].sort()).toEqual(serving.map((v) => v.id).sort());

    const a = files(first);
    const b = files(second);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, body] of a) expect({ name, same: b.get(name)?.equals(body) }).toEqual({ name, same: true });

    // The daemon's reload: worker-thread render, packed transfer, unpacked against the catalog it replaces.
    const offThread = (await import(pathToFileURL(join(REPO, 'dist', 'src', 'cli', 'off-thread.js')).href)) as typeof import('../../src/cli/off-thread.js');
    const reloaded = await offThread.loadSnapshotOffThread({ inventory: INVENTORY, templates, server }, createVendorRegistry(), first, 3_000);
    if (!reloaded.ok) throw new Error(JSON.stringify(reloaded.problems));
    const c = files(reloaded.snapshot.catalog);
    expect([...c.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [name, body] of a) {
      expect({ name, same: c.get(name)?.equals(body) }).toEqual({ name, same: true });
      // Unchanged files keep their modification time, so HTTP validators do not change either.
      const entry = reloaded.snapshot.catalog.lookup(name)?.file;
      expect({ name, mtime: entry?.mtimeMs, md5: entry?.md5 }).toEqual({ name, mtime: 1_000, md5: first.lookup(name)?.file?.md5 });
    }
  });

  it('covers encrypted files too (the example has an encrypted Yealink device)', async () => {
    const catalog = await renderFresh(1);
    expect(catalog.lookup('805ec0112233_Security.enc')?.file?.body.length).toBe(16);
  });
});
