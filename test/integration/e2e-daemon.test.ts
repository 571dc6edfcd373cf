/**
 * End to end (issue 2 "Done when"): the built daemon as a process; a Yealink phone fetches its
 * files; the admin changes a password in the inventory; `provd status` shows pending; the phone
 * fetches again and the ledger says changed.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, eventually, startDaemon, type Daemon } from './daemon-harness.js';

const MAC = '805ec0d57d72';
const UA = 'Yealink SIP-T46U 108.86.0.20 80:5e:c0:d5:7d:72';
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

interface StatusJson {
  mac: string;
  file: string;
  state: string;
  currentMd5: string;
  deliveredMd5: string | null;
}
interface LedgerJson {
  path: string;
  outcome: string;
  md5: string | null;
  changed: boolean | null;
  mac: string | null;
}

const jsonLines = <T>(text: string): T[] => text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);

describe('the daemon end to end', () => {
  let d: Daemon;
  beforeAll(async () => {
    d = await startDaemon();
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('serves a phone, notices a password change as pending, and records the change', async () => {
    const boot = await curl(['-A', UA, `${d.base}/${MAC}.boot`]);
    expect(boot.status).toBe(200);
    expect(boot.body.toString()).toContain('include:config "y000000000108.cfg"');
    const common = await curl(['-A', UA, `${d.base}/y000000000108.cfg`]);
    expect(common.status).toBe(200);
    const first = await curl(['-A', UA, `${d.base}/${MAC}.cfg`]);
    expect(first.status).toBe(200);
    expect(first.body.toString()).toContain('account.1.password = demo-zoom-1');

    // render prints the very bytes the phone got, with the MD5 on stderr.
    const rendered = await d.cli(['render', MAC, `${MAC}.cfg`]);
    expect(rendered.code).toBe(0);
    expect(md5(Buffer.from(rendered.stdout))).toBe(md5(first.body));
    expect(rendered.stderr).toContain(md5(first.body));

    const current = await eventually(async () => {
      const rows = jsonLines<StatusJson>((await d.cli(['status', MAC, '--json'])).stdout);
      const cfg = rows.find((r) => r.file === `${MAC}.cfg`);
      return cfg?.state === 'current' ? rows : undefined;
    });
    expect(current.map((r) => [r.file, r.state])).toEqual([
      [`${MAC}.boot`, 'current'],
      [`${MAC}.cfg`, 'current'],
    ]);

    const devices = join(d.dir, 'inventory', 'devices.yaml');
    writeFileSync(devices, readFileSync(devices, 'utf8').replace('password: "demo-zoom-1"', 'password: "changed-zoom-1"'));
    await d.waitForLog((l) => l.msg === 'inventory reloaded');

    const pending = jsonLines<StatusJson>((await d.cli(['status', MAC, '--json'])).stdout);
    const cfgPending = pending.find((r) => r.file === `${MAC}.cfg`)!;
    expect(cfgPending.state).toBe('pending');
    expect(cfgPending.deliveredMd5).toBe(md5(first.body));
    expect(pending.find((r) => r.file === `${MAC}.boot`)!.state).toBe('current');

    const second = await curl(['-A', UA, `${d.base}/${MAC}.cfg`]);
    expect(second.body.toString()).toContain('account.1.password = changed-zoom-1');
    expect(md5(second.body)).toBe(cfgPending.currentMd5);

    const ledger = await eventually(async () => {
      const rows = jsonLines<LedgerJson>((await d.cli(['ledger', '--mac', MAC, '--json'])).stdout);
      return rows.filter((r) => r.path === `/${MAC}.cfg`).length === 2 ? rows : undefined;
    });
    const cfgRows = ledger.filter((r) => r.path === `/${MAC}.cfg`);
    // Newest first: the second fetch changed, the first was the device's first delivery.
    expect(cfgRows.map((r) => [r.outcome, r.changed, r.md5])).toEqual([
      ['served', true, md5(second.body)],
      ['served', null, md5(first.body)],
    ]);
    const after = jsonLines<StatusJson>((await d.cli(['status', MAC, '--json'])).stdout);
    expect(after.find((r) => r.file === `${MAC}.cfg`)!.state).toBe('current');
  });

  it('reloads on SIGHUP', async () => {
    const before = d.logs.filter((l) => l.msg === 'inventory reloaded').length;
    d.signal('SIGHUP');
    await d.waitForLog(() => d.logs.filter((l) => l.msg === 'inventory reloaded').length > before);
    expect((await curl(['-A', UA, `${d.base}/${MAC}.boot`])).status).toBe(200);
  });

  it('keeps serving the last good inventory when an edit is broken', async () => {
    const devices = join(d.dir, 'inventory', 'devices.yaml');
    const good = readFileSync(devices, 'utf8');
    writeFileSync(devices, `${good}\n  - mac: "not-a-mac"\n    model: T46U\n`);
    const rejected = await d.waitForLog((l) => l.msg?.startsWith('inventory reload rejected') === true);
    expect(JSON.stringify(rejected.problems)).toMatch(/devices\.yaml:\d+/);
    const still = await curl(['-A', UA, `${d.base}/${MAC}.cfg`]);
    expect(still.status).toBe(200);
    writeFileSync(devices, good);
  });
});
