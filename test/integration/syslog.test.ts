/**
 * The syslog receiver end to end: a real daemon with `syslog.enabled`, real `logger` (util-linux)
 * in both formats over UDP, and `provd logs` reading them back per device. The device is known
 * at 127.0.0.1 because it fetched its config there first (the ledger's last-seen address).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, startDaemon, type Daemon } from './daemon-harness.js';

const run = promisify(execFile);
const MAC = '805ec0d57d72';

async function logger(port: number, format: '--rfc3164' | '--rfc5424', tag: string, text: string): Promise<void> {
  await run('logger', ['--server', '127.0.0.1', '--port', String(port), '--udp', format, '-t', tag, '-p', 'local0.warning', text]);
}

async function until<T>(probe: () => Promise<T | undefined>, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('syslog receiver', () => {
  let d: Daemon;
  let port: number;

  beforeAll(async () => {
    d = await startDaemon({ extraConfig: ['syslog:', '  enabled: true', '  bind: 127.0.0.1', '  port: 0', '  tcp: true', '  max_message_bytes: 512'].join('\n') });
    port = Number((await d.waitForLog((l) => l.msg === 'listening' && l.protocol === 'syslog')).port);
    // The phone fetches its config: the ledger now knows 127.0.0.1 as this device.
    const { stdout } = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', `${d.base}/${MAC}.cfg`]);
    expect(stdout).toBe('200');
  }, 30_000);

  afterAll(async () => {
    await d?.stop();
  });

  it('points the Yealink common file at the receiver', async () => {
    const { stdout } = await run('curl', ['-sS', `${d.base}/y000000000108.cfg`]);
    expect(stdout).toContain('static.syslog.enable = 1');
    expect(stdout).toContain('static.syslog.server = 127.0.0.1');
    expect(stdout).toContain(`static.syslog.server_port = ${port}`);
    // provd render computes the same bytes (it reads the daemon's server info, syslog included).
    expect((await d.cli(['render', MAC, 'y000000000108.cfg'])).stdout).toBe(stdout);
  });

  it('stores RFC 3164 and RFC 5424 messages under the device and shows them with provd logs', async () => {
    await logger(port, '--rfc3164', 'sipua', 'bsd format line from the phone');
    await logger(port, '--rfc5424', 'sipua', 'structured format line from the phone');
    const out = await until(async () => {
      const r = await d.cli(['logs', MAC]);
      return r.code === 0 && r.stdout.includes('structured format line') ? r.stdout : undefined;
    });
    const lines = out.trimEnd().split('\n');
    const bsd = lines.find((l) => l.includes('bsd format line from the phone'));
    const v1 = lines.find((l) => l.includes('structured format line from the phone'));
    expect(bsd).toMatch(/^\d{4}-\d\d-\d\dT\S+Z 127\.0\.0\.1 local0\.warning \S+ sipua: bsd format line from the phone$/);
    expect(v1).toMatch(/^\d{4}-\d\d-\d\dT\S+Z 127\.0\.0\.1 local0\.warning \S+ sipua: structured format line from the phone$/);
  });

  it('counts registration failures per device in provd logs --summary', async () => {
    await logger(port, '--rfc5424', 'sip', 'REGISTER sip:7000766863.zoom.us got SIP/2.0 403 Forbidden');
    await logger(port, '--rfc3164', 'sip', 'line 1 registration failed: 408 Request Timeout');
    const row = await until(async () => {
      const r = await d.cli(['logs', '--summary', '--json']);
      if (r.code !== 0) return undefined;
      const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { mac: string; registrationFailures: Record<string, number> });
      const mine = rows.find((x) => x.mac === MAC);
      return mine && mine.registrationFailures['408'] === 1 ? mine : undefined;
    });
    expect(row.registrationFailures).toEqual({ '403': 1, '408': 1 });
    const table = await d.cli(['logs', '--summary']);
    expect(table.stdout).toMatch(new RegExp(`^${MAC}\\s+\\d+\\s+\\S+\\s+0\\s+1\\s+0\\s+1\\s+408 at `, 'm'));
  });

  it('takes TCP with octet counting and LF framing, and cuts an oversized message', async () => {
    const socket = createConnection({ host: '127.0.0.1', port });
    await new Promise<void>((r) => socket.once('connect', () => r()));
    const framed = '<134>1 2026-12-02T07:00:00Z phone app - - - octet counted over tcp';
    socket.write(`${Buffer.byteLength(framed)} ${framed}`);
    socket.write('<134>Dec  2 07:00:01 phone app: lf framed over tcp\n');
    socket.write(`<134>Dec  2 07:00:02 phone app: ${'x'.repeat(2000)}\n`);
    socket.end();
    const out = await until(async () => {
      const r = await d.cli(['logs', MAC, '--lines', '20']);
      return r.stdout.includes('[truncated]') ? r.stdout : undefined;
    });
    expect(out).toContain('local0.info phone app: octet counted over tcp');
    expect(out).toContain('local0.info phone app: lf framed over tcp');
    const cut = out.split('\n').find((l) => l.includes('[truncated]'))!;
    expect(cut.length).toBeLessThan(700);
  });

  it('keeps a message with a bad priority and says nothing is there for an unknown device', async () => {
    await run('bash', ['-c', `printf '<999>no valid priority here' > /dev/udp/127.0.0.1/${port}`]);
    const out = await until(async () => {
      const r = await d.cli(['logs', MAC]);
      return r.stdout.includes('no valid priority here') ? r.stdout : undefined;
    });
    expect(out).toMatch(/user\.notice - -: <999>no valid priority here/);
    const none = await d.cli(['logs', '001565000001']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no syslog messages from 001565000001');
  });

  it('follows the file: provd logs --follow prints lines as they arrive', async () => {
    const child = spawn(process.execPath, [BIN, 'logs', MAC, '--follow', '--lines', '0', '--config', d.config], { cwd: d.dir });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    try {
      // The follower starts at the end of the file whenever its process gets going (slow under
      // load), so lines are sent until one shows up.
      let n = 0;
      await until(async () => {
        if (out.includes('followed line')) return true;
        await logger(port, '--rfc5424', 'sipua', `followed line ${n++}`);
        await new Promise((r) => setTimeout(r, 300));
        return undefined;
      }, 15_000);
      expect(out).not.toContain('bsd format line'); // --lines 0: only new ones
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('files a message from an address no device fetched from as unattributed', async () => {
    const socket = createConnection({ host: '127.0.0.1', port, localAddress: '127.0.0.2' });
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.end('<134>Dec  2 07:00:01 stranger app: not from the phone\n');
    const file = join(d.dir, 'var', 'syslog', 'unattributed.log');
    const text = await until(async () => (existsSync(file) && readFileSync(file, 'utf8').includes('not from the phone') ? readFileSync(file, 'utf8') : undefined));
    expect(text).toMatch(/ 127\.0\.0\.2 local0\.info stranger app: not from the phone\n/);
    expect((await d.cli(['logs', MAC])).stdout).not.toContain('not from the phone');
    expect((await d.cli(['logs', '--unattributed'])).stdout).toContain('stranger app: not from the phone');
  });
});
