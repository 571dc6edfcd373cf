/**
 * Cisco (MPP, SPA, enterprise), Fanvil, Snom and Htek files rendered through the real engine,
 * the shipped templates and the context builders, compared byte for byte with committed goldens
 * in test/golden/<vendor>/<case>/. After a deliberate template change, rewrite them with
 * `UPDATE_GOLDEN=1 npx vitest run test/unit/cisco-others-golden.test.ts` and review every diff.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ResolvedDevice } from '../../src/inventory/types.js';
import { deviceContext, sharedContext } from '../../src/render/context.js';
import { createTemplateEngine } from '../../src/render/engine.js';
import { createVendorRegistry } from '../../src/vendors/index.js';
import type { FileSpec, VendorModule } from '../../src/vendors/types.js';
import { CASES, SHARED_CASES, server } from './cisco-others-fixtures.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const goldenDir = join(repo, 'test', 'golden');
const update = process.env['UPDATE_GOLDEN'] === '1';
const engine = createTemplateEngine({ shipped: join(repo, 'templates'), override: join(repo, 'test', 'fixtures', 'no-such-templates.local') });
const registry = createVendorRegistry();

function vendorOf(id: string): VendorModule {
  const v = registry.get(id);
  if (!v) throw new Error(`no vendor ${id}`);
  return v;
}

function check(caseName: string, name: string, body: Buffer): void {
  const file = join(goldenDir, caseName, name);
  if (update) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, body);
  }
  if (!existsSync(file)) throw new Error(`missing golden ${file}; run with UPDATE_GOLDEN=1 and review it`);
  expect(body.toString('utf8')).toBe(readFileSync(file, 'utf8'));
}

function renderDevice(d: ResolvedDevice): { spec: FileSpec; body: Buffer }[] {
  return vendorOf(d.vendor)
    .deviceFiles(d)
    .map((spec) => ({ spec, body: engine.render(spec.template, deviceContext(d, spec, server)) }));
}

/**
 * Every rendered file is well-formed XML: one root, every element closed in order, only the five
 * XML entities and numeric references; and xmllint agrees where it is installed.
 */
function wellFormed(body: Buffer): void {
  const text = body.toString('utf8');
  expect(text.startsWith('<?xml')).toBe(true);
  const markup = text.replace(/^<\?xml[^>]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '');
  const stack: string[] = [];
  let roots = 0;
  for (const m of markup.matchAll(/<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>/g)) {
    if (m[1] !== '/' && stack.length === 0) roots++;
    if (m[3] === '/') continue;
    if (m[1] === '/') expect(stack.pop()).toBe(m[2]);
    else stack.push(m[2] ?? '');
  }
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
  for (const ref of markup.matchAll(/&[^;\s]*;?/g)) expect(ref[0]).toMatch(/^&(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);$/i);
  try {
    execFileSync('xmllint', ['--noout', '-'], { input: body, stdio: ['pipe', 'ignore', 'pipe'] });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

describe('Cisco, Fanvil, Snom, Htek golden files', () => {
  it.each(CASES)('%s', (caseName, d) => {
    const files = renderDevice(d);
    expect(files.length).toBeGreaterThan(0);
    for (const { spec, body } of files) {
      check(join(d.vendor, caseName), spec.name, body);
      wellFormed(body);
    }
  });

  it.each(SHARED_CASES)('%s: %s %s', (caseName, vendor, name, defaults) => {
    const spec = vendorOf(vendor).sharedFiles().find((s) => s.name === name);
    if (!spec) throw new Error(`no shared file ${name}`);
    const body = engine.render(spec.template, sharedContext(defaults, spec, server));
    check(join(vendor, caseName), name, body);
    wellFormed(body);
  });

  it('renders every shared file of these vendors, none carrying a password', () => {
    for (const id of ['cisco-mpp', 'cisco-spa', 'cisco-enterprise', 'fanvil', 'snom', 'htek']) {
      for (const spec of vendorOf(id).sharedFiles()) {
        expect(spec.secret, spec.name).toBe(false);
        const body = engine.render(spec.template, sharedContext({}, spec, server));
        wellFormed(body);
        expect(body.toString()).not.toMatch(/pass|pswd/i);
      }
    }
  });

  it('renders the same bytes twice with a fresh engine (phones MD5 what they fetch)', () => {
    const again = createTemplateEngine({ shipped: join(repo, 'templates'), override: join(repo, 'nope') });
    for (const [, d] of CASES) {
      const first = renderDevice(d).map((f) => f.body);
      const second = vendorOf(d.vendor).deviceFiles(d).map((spec) => again.render(spec.template, deviceContext(d, spec, server)));
      expect(second).toEqual(first);
    }
  });
});
