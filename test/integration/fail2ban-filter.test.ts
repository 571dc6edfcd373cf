/**
 * The shipped fail2ban filter against the daemon's real log lines: denials and scanner blocks
 * from the `security` channel are matched with the client's address; ordinary fetch lines are not.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, REPO, startDaemon, type Daemon } from './daemon-harness.js';

const run = promisify(execFile);
let daemon: Daemon;

beforeAll(async () => {
  daemon = await startDaemon({ extraConfig: 'security:\n  scanner:\n    unknown_macs: 3\n' });
});
afterAll(async () => {
  await daemon?.stop();
});

describe('fail2ban filter', () => {
  it('matches security denials and scanner blocks by peer address, and nothing else', async () => {
    await curl([`${daemon.base}/y000000000000.boot`]);
    await curl([`${daemon.base}/../../etc/passwd`]);
    await curl([`${daemon.base}/%2e%2e/%2e%2e/etc/shadow`]);
    for (const n of [1, 2, 3, 4]) await curl([`${daemon.base}/00156500000${n}.cfg`]);
    await daemon.waitForLog((l) => l.channel === 'security' && l.msg === 'address blocked for guessing device files');
    await daemon.waitForLog((l) => l.channel === 'fetch' && l.path === '/y000000000000.boot');

    const log = join(mkdtempSync(join(tmpdir(), 'provd-f2b-')), 'provd.log');
    writeFileSync(log, daemon.logs.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const filter = join(REPO, 'deploy', 'fail2ban', 'filter.d', 'provd.conf');
    const { stdout } = await run('fail2ban-regex', ['--print-all-matched', log, filter]);
    const security = daemon.logs.filter((l) => l.channel === 'security');
    expect(security.length).toBeGreaterThanOrEqual(3);
    expect(stdout).toContain(`Lines: ${daemon.logs.length} lines, 0 ignored, ${security.length} matched`);
    expect(stdout).toContain('127.0.0.1');
  });
});
