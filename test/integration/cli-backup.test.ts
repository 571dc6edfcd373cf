/**
 * `provd backup`: a copy taken while the daemon is serving and recording fetches is a complete,
 * consistent SQLite file holding the rows recorded before it; the documented restore (stop,
 * replace ledger.sqlite and drop its -wal/-shm, start) brings those rows and the per-phone status
 * back, and the restored file takes new records.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, curl, eventually, startDaemon, type Daemon } from './daemon-harness.js';

const run = promisify(execFile);
const PHONE = ['-A', 'Yealink SIP-T46U 108.86.0.20 80:5e:c0:d5:7d:72'];

/** The daemon's fetch records, newest first, by `provd ledger --json` (more than execFile's default buffer). */
async function ledgerRows(daemon: Daemon): Promise<{ id: number; path: string; md5: string | null }[]> {
  const { stdout } = await run(process.execPath, [BIN, 'ledger', '--json', '--limit', '1000000', '--config', daemon.config],
    { cwd: daemon.dir, maxBuffer: 64 * 1024 * 1024 });
  return stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { id: number; path: string; md5: string | null });
}

/** `count` GETs of the common boot file over one keep-alive connection (curl's URL glob). */
function fetchMany(daemon: Daemon, count: number): Promise<{ stdout: string }> {
  return run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}\\n', `${daemon.base}/y000000000000.boot?n=[1-${count}]`],
    { maxBuffer: 16 * 1024 * 1024, timeout: 120_000 });
}

describe('provd backup', () => {
  let daemon: Daemon | undefined;
  let restored: Daemon | undefined;
  const work = mkdtempSync(join(tmpdir(), 'provd-backup-'));

  beforeAll(async () => {
    daemon = await startDaemon();
  }, 30_000);

  afterAll(async () => {
    await daemon?.stop();
    await restored?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('copies the ledger while the daemon writes; the restore procedure brings the rows and status back', async () => {
    const live = daemon!;
    expect((await curl([...PHONE, `${live.base}/805ec0d57d72.cfg`])).status).toBe(200);
    await eventually(async () => ((await live.cli(['status', '80:5e:c0:d5:7d:72'])).stdout.match(/805ec0d57d72\.cfg\s+current/) ? true : undefined));
    const first = await fetchMany(live, 300);
    expect(first.stdout.trim().split('\n').filter((c) => c === '200')).toHaveLength(300);
    const before = await eventually(async () => {
      const rows = await ledgerRows(live);
      return rows.length >= 301 ? rows : undefined;
    });

    // The backup runs while a second, bounded batch of fetches is being served and recorded.
    const out = join(work, 'ledger-copy.sqlite');
    const second = fetchMany(live, 3000);
    const backup = await live.cli(['backup', '--out', out]);
    await second;
    expect(backup.code).toBe(0);
    const reported = /: (\d+) fetch records, ledger schema 1, \d+ bytes\n$/.exec(backup.stdout);
    expect(reported).not.toBeNull();

    // One self-contained file, consistent, holding every row recorded before the backup started.
    for (const side of ['-wal', '-shm', '-journal']) expect(existsSync(`${out}${side}`)).toBe(false);
    const copy = new Database(out, { readonly: true, fileMustExist: true });
    let copied: { id: number; path: string; md5: string | null }[];
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.pragma('user_version', { simple: true })).toBe(1);
      copied = copy.prepare('SELECT id, path, md5 FROM fetches ORDER BY id DESC').all() as typeof copied;
    } finally {
      copy.close();
    }
    expect(copied.length).toBe(Number(reported![1]));
    const copiedIds = new Set(copied.map((r) => r.id));
    for (const row of before) expect(copiedIds.has(row.id)).toBe(true);
    // ... and nothing the live ledger does not have, row for row.
    const after = new Map((await ledgerRows(live)).map((r) => [r.id, r]));
    expect(after.size).toBeGreaterThanOrEqual(copied.length);
    for (const row of copied) expect(after.get(row.id)).toMatchObject(row);

    // Restore: stop, replace ledger.sqlite (without the old -wal/-shm), start.
    await live.stop();
    restored = await startDaemon({
      prepare: (dir) => {
        mkdirSync(join(dir, 'var'), { recursive: true });
        copyFileSync(out, join(dir, 'var', 'ledger.sqlite'));
        for (const side of ['-wal', '-shm']) rmSync(join(dir, 'var', `ledger.sqlite${side}`), { force: true });
      },
    });
    expect((await ledgerRows(restored)).map((r) => r.id)).toEqual(copied.map((r) => r.id));
    const status = await restored.cli(['status', '80:5e:c0:d5:7d:72', '--json']);
    const cfg = status.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { file: string; state: string })
      .find((r) => r.file === '805ec0d57d72.cfg');
    // The phone's last delivery came back with the rows: `pending`, not `never`. (Not `current`:
    // the restored daemon listens on another port, which is written into the phone's file.)
    expect(cfg?.state).toBe('pending');
    expect((await curl([`${restored.base}/y000000000000.boot`])).status).toBe(200);
    await eventually(async () => ((await ledgerRows(restored!)).length === copied.length + 1 ? true : undefined));
  }, 120_000);

  it('refuses to run without --out, on a state folder without a ledger, or onto the live ledger itself', async () => {
    const missing = await daemon!.cli(['backup']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--out FILE is required');
    const empty = mkdtempSync(join(work, 'empty-'));
    const none = await daemon!.cli(['backup', '--out', join(work, 'x.sqlite'), '--state-dir', empty]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`no ledger at ${join(empty, 'ledger.sqlite')}`);
    const self = await daemon!.cli(['backup', '--out', join(empty, 'ledger.sqlite'), '--state-dir', empty]);
    expect(self.code).toBe(2);
    const noFolder = await daemon!.cli(['backup', '--out', join(work, 'no-such-folder', 'x.sqlite')]);
    expect(noFolder.code).toBe(1);
    expect(noFolder.stderr).toContain('does not exist');
  });
});
