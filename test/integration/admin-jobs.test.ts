/**
 * Jobs through the daemon's admin API: remote inventory over real HTTPS (a local TLS server with
 * a throw-away CA the daemon trusts through NODE_EXTRA_CA_CERTS) with ETag, a broken download
 * and an unreachable source keeping the last good copy; the render check; retention; listing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './daemon-harness.js';
import { FULL_TOKEN, startAdminDaemon, type AdminDaemon } from './admin-harness.js';

const GOOD = `devices:
  - mac: "80:5e:c0:00:00:99"
    model: T46U
    site: hq
    accounts:
      - user: "5000"
        password: "remote-pw"
        registrar: pbx.example.net
`;

interface Report { result: string; message: string }

describe('jobs', () => {
  let d: AdminDaemon;
  let server: Server;
  let body = GOOD;
  let etag = '"v1"';
  const seen: { inm: string | undefined }[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provd-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'),
      '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    server = createServer({ key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) }, (req, res) => {
      seen.push({ inm: req.headers['if-none-match'] });
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304).end();
        return;
      }
      res.writeHead(200, { etag, 'content-type': 'application/yaml' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    process.env.NODE_EXTRA_CA_CERTS = join(dir, 'c.pem');
    d = await startAdminDaemon({
      adminExtra: [
        '  jobs:',
        '    timezone: Europe/Berlin',
        '    remote_inventory:',
        `      url: https://127.0.0.1:${port}/inventory.yaml`,
        '      timeout_seconds: 5',
        '    nightly_resync:',
        '      enabled: true',
        '      from: "00:00"',
        '      until: "00:00"',
      ].join('\n'),
    });
  });
  afterAll(async () => {
    await d?.stop();
    server?.close();
  });

  const run = async (name: string) => {
    const r = await d.api(`/api/jobs/${name}/run`, { method: 'POST', token: FULL_TOKEN });
    expect(r.status).toBe(200);
    return (await r.json()) as Report;
  };

  it('lists its jobs with schedule, time zone and next run', async () => {
    const { jobs } = await d.json<{ jobs: { name: string; timezone: string; nextRun: number; schedule: string }[] }>('/api/jobs');
    expect(jobs.map((j) => j.name).sort()).toEqual(['nightly_resync', 'remote_inventory', 'render_check', 'retention']);
    expect(jobs.every((j) => j.timezone === 'Europe/Berlin' && j.nextRun > Date.now())).toBe(true);
  });

  it('pulls the remote inventory over HTTPS, then asks with its ETag and gets 304', async () => {
    const first = await run('remote_inventory');
    expect(first.result).toBe('ok');
    expect(first.message).toContain('updated');
    await eventually(async () => ((await d.api('/api/devices/805ec0000099')).status === 200 ? true : undefined), 10_000);
    const second = await run('remote_inventory');
    expect(second).toMatchObject({ result: 'skipped', message: expect.stringContaining('not modified') });
    expect(seen.at(-1)?.inm).toBe('"v1"');
  });

  it('keeps the last good copy when the download is broken or the source is down', async () => {
    const file = join(d.dir, 'inventory', 'remote.yaml');
    body = 'devices:\n  - mac: "80:5e:c0:00:00:99"\n    model: NoSuchPhone\n';
    etag = '"v2"';
    const broken = await run('remote_inventory');
    expect(broken.result).toBe('failed');
    expect(broken.message).toContain('kept the last good copy');
    expect(readFileSync(file, 'utf8')).toBe(GOOD);
    server.close();
    server.closeAllConnections();
    const down = await run('remote_inventory');
    expect(down).toMatchObject({ result: 'failed', message: expect.stringContaining('cannot fetch') });
    expect(readFileSync(file, 'utf8')).toBe(GOOD);
    expect((await d.api('/api/devices/805ec0000099')).status).toBe(200);
    expect(existsSync(`${file}.part`)).toBe(false);
    const { jobs } = await d.json<{ jobs: { name: string; lastRun: Report }[] }>('/api/jobs');
    expect(jobs.find((j) => j.name === 'remote_inventory')?.lastRun.result).toBe('failed');
    const metrics = await (await d.api('/metrics')).text();
    expect(metrics).toMatch(/provd_job_runs_total\{job="remote_inventory",result="failed"\} 2/);
  });

  it('runs the nightly resync only for pending devices: none pending, nothing sent', async () => {
    expect(await run('nightly_resync')).toMatchObject({ result: 'skipped', message: 'no device matches' });
  });

  it('checks that every file still renders, and prunes the ledger', async () => {
    expect(await run('render_check')).toMatchObject({ result: 'ok', message: expect.stringMatching(/^all \d+ files render$/) });
    expect(await run('retention')).toMatchObject({ result: 'ok', message: expect.stringContaining('older than 90 days') });
  });
});
