/**
 * HTTP PUT through the adapter with curl -T: created then replaced, refused names, and bodies
 * over the cap (announced by Content-Length, or chunked) answered without reading them whole.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingPipeline, curl, eventually, md5, splitResponse, startServer, type Running } from '../fixtures/http/harness.js';

const CAP = 4096;
let dir: string;
let t: Running;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'provd-put-'));
  t = await startServer(new RecordingPipeline(CAP));
});

afterAll(async () => {
  await t.server.close();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, body: Buffer | string): string {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
}

describe('PUT', () => {
  it('stores a small file: 201 the first time, 204 when replaced', async () => {
    const url = `${t.base}/up/001565123456-local.cfg`;
    const first = await curl(['-i', '-T', file('a.cfg', 'local.a = 1\n'), url]);
    const created = splitResponse(first.stdout);
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toEqual([`"${md5('local.a = 1\n')}"`]);
    const second = await curl(['-i', '-T', file('b.cfg', 'local.a = 2\n'), url]);
    expect(splitResponse(second.stdout).status).toBe(204);
    expect(t.pipeline.stored.get('/up/001565123456-local.cfg')?.toString()).toBe('local.a = 2\n');
    const rec = t.pipeline.uploads.at(-1);
    expect(rec?.req).toMatchObject({ protocol: 'http', path: '/up/001565123456-local.cfg', declaredSize: 12 });
    expect(rec?.result).toMatchObject({ kind: 'stored', created: false, bytes: 12 });
  });

  it('sends 100 Continue when the pipeline starts reading, so curl does not wait', async () => {
    const body = Buffer.alloc(3000, 0x61);
    const r = await curl(['-H', 'Expect: 100-continue', '-T', file('c.cfg', body), '-o', '/dev/null',
      '-w', '%{http_code} %{time_total}', `${t.base}/up/c.cfg`]);
    const [code, seconds] = r.stdout.toString().split(' ');
    expect(code).toBe('201');
    // curl waits a full second for 100 Continue when it does not come.
    expect(Number(seconds)).toBeLessThan(0.9);
    expect(t.pipeline.stored.get('/up/c.cfg')?.equals(body)).toBe(true);
  });

  it('answers 405 with Allow for a name that may not be written', async () => {
    const r = await curl(['-i', '-T', file('d.cfg', 'x'), `${t.base}/y000000000000.cfg`]);
    const { status, headers } = splitResponse(r.stdout);
    expect(status).toBe(405);
    expect(headers.get('allow')).toEqual(['GET, HEAD']);
  });

  it('answers 413 for an announced size over the cap without reading the body', async () => {
    const big = file('big.bin', Buffer.alloc(2 * 1024 * 1024, 0x62));
    const before = t.pipeline.uploads.length;
    const r = await curl(['-i', '-T', big, '-w', '\n%{time_total}', `${t.base}/up/big.bin`]);
    const { status, headers } = splitResponse(r.stdout);
    expect(status).toBe(413);
    expect(headers.get('connection')).toEqual(['close']);
    // No 100 Continue was sent, so curl never started the body; nor did it wait for one.
    expect(Number(r.stdout.toString().split('\n').at(-1))).toBeLessThan(0.9);
    const rec = await eventually(() => t.pipeline.uploads[before]);
    expect(rec.req.declaredSize).toBe(2 * 1024 * 1024);
    expect(rec.bytesRead).toBe(0);
    expect(rec.result).toMatchObject({ kind: 'denied', answer: 'too_large' });
  });

  it('answers 413 to a chunked body that outgrows the cap, and stops reading it', async () => {
    const before = t.pipeline.uploads.length;
    const stdin = Buffer.alloc(8 * 1024 * 1024, 0x63);
    const r = await curl(['-i', '-T', '-', '-H', 'Transfer-Encoding: chunked', `${t.base}/up/chunked.bin`], stdin);
    const { status, headers } = splitResponse(r.stdout);
    expect(status).toBe(413);
    expect(headers.get('connection')).toEqual(['close']);
    const rec = await eventually(() => t.pipeline.uploads[before]);
    expect(rec.req.declaredSize).toBeUndefined();
    expect(rec.bytesRead).toBeGreaterThan(CAP);
    expect(rec.bytesRead).toBeLessThan(CAP + 256 * 1024);
    expect(t.pipeline.stored.has('/up/chunked.bin')).toBe(false);
  });

  it('answers 413 without Expect too, and still sends the reply before closing', async () => {
    const big = file('big2.bin', Buffer.alloc(3 * 1024 * 1024, 0x64));
    const r = await curl(['-i', '-H', 'Expect:', '-T', big, `${t.base}/up/big2.bin`]);
    expect(splitResponse(r.stdout).status).toBe(413);
  });

  it('keeps the connection for the next request after a stored upload', async () => {
    const r = await curl(['-T', file('e.cfg', 'e\n'), '-o', '/dev/null', '-w', '%{num_connects}\n',
      `${t.base}/up/e.cfg`, '-o', '/dev/null', '-T', file('f.cfg', 'f\n'), `${t.base}/up/f.cfg`]);
    expect(r.stdout.toString()).toBe('1\n0\n');
  });
});
