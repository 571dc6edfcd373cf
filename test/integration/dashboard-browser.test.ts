/**
 * The dashboard in a real browser: playwright-core drives Debian's chromium (/usr/bin/chromium)
 * against the built daemon. The page lists devices with pending highlighted; a phone's fetch (curl)
 * turns its row from pending to current through the live event stream, without a reload; the
 * device page shows history and a masked diff. Screenshots go to test-artifacts/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, eventually, REPO } from './daemon-harness.js';
import { READ_TOKEN, FULL_TOKEN, startAdminDaemon, type AdminDaemon } from './admin-harness.js';

const MAC = '805ec0d57d72';
const UA = 'Yealink SIP-T46U 108.86.0.20 80:5e:c0:d5:7d:72';
const FILES = [`${MAC}.boot`, 'y000000000108.cfg', `${MAC}.cfg`];
const ARTIFACTS = join(REPO, 'test-artifacts');

describe('dashboard in chromium', () => {
  let d: AdminDaemon;
  let context: BrowserContext;
  let page: Page;
  let profile: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    d = await startAdminDaemon();
    for (const f of FILES) expect((await curl(['-A', UA, `${d.base}/${f}`])).status).toBe(200);
    // A second phone seen once, so the table shows a last-seen address for more than one row.
    await curl(['-A', 'Yealink SIP-T54W 96.86.0.10 24:9a:d8:10:20:30', `${d.base}/249ad8102030.boot`]);
    await eventually(async () => ((await d.json<{ state: string }>(`/api/devices/${MAC}`)).state === 'current' ? true : undefined));
    const inv = join(d.dir, 'inventory', 'devices.yaml');
    writeFileSync(inv, readFileSync(inv, 'utf8').replace('password: "demo-zoom-1"', 'password: "changed-pw-1"').replace('display_name: Reception', 'display_name: Front desk'));
    await eventually(async () => ((await d.json<{ state: string }>(`/api/devices/${MAC}`)).state === 'pending' ? true : undefined), 10_000);

    profile = mkdtempSync(join(tmpdir(), 'provd-chromium-'));
    // A fresh profile folder per run (playwright passes it as --user-data-dir).
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1280, height: 720 },
    });
    page = context.pages()[0] ?? (await context.newPage());
  });
  afterAll(async () => {
    await context?.close();
    await d?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('asks for a token, then shows the devices with the pending phone highlighted', async () => {
    await page.goto(d.admin);
    await page.locator('#token').fill(READ_TOKEN);
    await page.getByRole('button', { name: 'Open dashboard' }).click();
    const row = page.locator(`tr[data-mac="${MAC}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('pending');
    expect(await row.getAttribute('class')).toContain('state-pending');
    const bg = await row.evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(bg).toBe('rgb(255, 243, 205)');
    await expect.poll(() => page.locator('[data-count="pending"]').textContent()).toBe('pending: 2');
    expect(await row.locator('.badge.pending').count()).toBeGreaterThan(0);
    expect(await page.locator('tr[data-mac="44dbd2aabb01"]').getAttribute('data-state')).toBe('never');
  });

  it('filters and searches', async () => {
    await page.locator('#f-state').selectOption('never');
    await expect.poll(() => page.locator(`tr[data-mac="${MAC}"]`).count()).toBe(0);
    await page.locator('#f-state').selectOption('');
    await page.locator('#q').fill('24:9a:d8');
    await expect.poll(() => page.locator('#devices tbody tr').count()).toBe(1);
    await page.locator('#q').fill('');
    await page.locator(`tr[data-mac="${MAC}"]`).waitFor();
  });

  it('turns the row from pending to current when the phone fetches, live, without a reload', async () => {
    await expect.poll(() => page.locator('#live').textContent()).toBe('live');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-pending.png'), fullPage: true });
    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    for (const f of FILES) expect((await curl(['-A', UA, `${d.base}/${f}`])).status).toBe(200);
    await expect.poll(() => page.locator(`tr[data-mac="${MAC}"]`).getAttribute('data-state'), { timeout: 10_000 }).toBe('current');
    expect(navigations).toBe(0);
    await expect.poll(() => page.locator('[data-count="pending"]').textContent()).toBe('pending: 1');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
  });

  it('shows a device page with history, a masked diff, and a resync button that reports refusals', async () => {
    const inv = join(d.dir, 'inventory', 'devices.yaml');
    writeFileSync(inv, readFileSync(inv, 'utf8').replace('password: "changed-pw-1"', 'password: "third-pw-1"').replace('display_name: Front desk', 'display_name: Lobby'));
    await eventually(async () => ((await d.json<{ state: string }>(`/api/devices/${MAC}`)).state === 'pending' ? true : undefined), 10_000);
    await page.goto(`${d.admin}/devices/${MAC}`);
    await expect.poll(() => page.locator('#d-title').getAttribute('data-state')).toBe('pending');
    const diff = page.locator(`[data-file="${MAC}.cfg"] pre.diff`);
    await expect.poll(() => diff.locator('.add').count()).toBeGreaterThan(0);
    const text = (await diff.textContent()) ?? '';
    expect(text).toContain('Lobby');
    expect(text).toContain('Front desk');
    expect(text).not.toContain('third-pw-1');
    expect(text).not.toContain('changed-pw-1');
    expect(await page.locator('#d-history tbody tr').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('#d-facts').textContent()).toContain('password ********');
    // The read-only token may not resync: the page says so instead of failing silently.
    await page.getByRole('button', { name: 'Resync', exact: true }).click();
    await expect.poll(() => page.locator('#d-status').textContent()).toContain('403');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-device.png'), fullPage: true });
    void FULL_TOKEN;
  });
});
