/**
 * GET/HEAD through the HTTP adapter with the real curl: bytes, headers, ranges, validators,
 * keep-alive, path decoding and the refusals the adapter makes itself.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RecordingPipeline,
  curl,
  eventually,
  md5,
  memoryFile,
  rawExchange,
  splitResponse,
  startServer,
  staticFile,
  type FetchRecord,
  type Running,
} from '../fixtures/http/harness.js';

const CFG = Buffer.from('#!version:1.0.0.1\naccount.1.enable = 1\naccount.1.label = Reception\n');
const SIP = Buffer.from('sip.line.1 = 1001\n');
const UA = 'Yealink SIP-T46U 108.86.0.20 00:15:65:12:34:56';

let dir: string;
let blob: Buffer;
let t: Running;

/** The newest request for `path`, once the adapter has reported its result. */
function lastFetch(path: string): Promise<FetchRecord> {
  return eventually(() => {
    const newest = [...t.pipeline.fetches].reverse().find((f) => f.req.path === path);
    return newest?.result ? newest : undefined;
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'provd-http-'));
  blob = Buffer.alloc(300_000);
  for (let i = 0; i < blob.length; i++) blob[i] = (i * 7 + (i >> 8)) & 0xff;
  writeFileSync(join(dir, 'fw.rom'), blob);
  writeFileSync(join(dir, 'gone.rom'), blob);
  const p = new RecordingPipeline();
  p.routes.set('/y000000000000.cfg', { kind: 'file', file: memoryFile('y000000000000.cfg', CFG), identity: {} });
  p.routes.set('/Folder Path/HTTP Directory/sip.cfg', { kind: 'file', file: memoryFile('sip.cfg', SIP), identity: {} });
  p.routes.set('/fw/fw.rom', { kind: 'file', file: staticFile('fw/fw.rom', join(dir, 'fw.rom'), blob), identity: {} });
  p.routes.set('/fw/gone.rom', {
    kind: 'file',
    file: staticFile('fw/gone.rom', join(dir, 'missing.rom'), blob),
    identity: {},
  });
  p.routes.set('/001565123456.cfg', {
    kind: 'denied',
    reason: 'secret_not_named',
    answer: 'not_found',
    identity: {},
  });
  p.routes.set('/forbidden.cfg', { kind: 'denied', reason: 'network_not_allowed', answer: 'forbidden', identity: {} });
  p.routes.set('/crash.cfg', () => 'no-send');
  t = await startServer(p);
});

afterAll(async () => {
  await t.server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET and HEAD', () => {
  it('serves a generated file with its validators and records what was sent', async () => {
    const r = await curl(['-i', '-A', UA, `${t.base}/y000000000000.cfg`]);
    expect(r.code).toBe(0);
    const { status, headers, body } = splitResponse(r.stdout);
    expect(status).toBe(200);
    expect(body.equals(CFG)).toBe(true);
    expect(headers.get('content-length')).toEqual([String(CFG.length)]);
    expect(headers.get('content-type')).toEqual(['text/plain']);
    expect(headers.get('etag')).toEqual([`"${md5(CFG)}"`]);
    expect(headers.get('last-modified')).toEqual(['Thu, 02 Jan 2025 03:04:05 GMT']);
    expect(headers.get('accept-ranges')).toEqual(['bytes']);
    expect(headers.get('x-content-type-options')).toEqual(['nosniff']);
    expect(headers.get('server')).toEqual(['provd']);
    expect(headers.has('x-powered-by')).toBe(false);
    const f = await lastFetch('/y000000000000.cfg');
    expect(f.req.protocol).toBe('http');
    expect(f.req.peer.address).toBe('127.0.0.1');
    expect(f.req.userAgent).toBe(UA);
    expect(f.req.headOnly).toBeUndefined();
    expect(f.result).toEqual({
      outcome: 'served',
      bytes: CFG.length,
      md5: md5(CFG),
      delivered: true,
      status: 200,
      detail: { method: 'GET', status: 200 },
    });
  });

  it('answers HEAD with headers only and records no bytes', async () => {
    const r = await curl(['-I', `${t.base}/fw/fw.rom`]);
    const { status, headers, body } = splitResponse(r.stdout);
    expect(status).toBe(200);
    expect(body.length).toBe(0);
    expect(headers.get('content-length')).toEqual([String(blob.length)]);
    const f = await lastFetch('/fw/fw.rom');
    expect(f.req.headOnly).toBe(true);
    expect(f.result).toMatchObject({ outcome: 'served', bytes: 0, delivered: false, status: 200 });
  });

  it('streams a static file whole, reporting its MD5', async () => {
    const r = await curl([`${t.base}/fw/fw.rom`]);
    expect(md5(r.stdout)).toBe(md5(blob));
    const f = await lastFetch('/fw/fw.rom');
    expect(f.result).toMatchObject({ outcome: 'served', bytes: blob.length, md5: md5(blob), delivered: true });
  });

  it('answers 500 when a static file vanished after it was resolved', async () => {
    const r = await curl(['-i', `${t.base}/fw/gone.rom`]);
    expect(splitResponse(r.stdout).status).toBe(500);
    const f = await lastFetch('/fw/gone.rom');
    expect(f.result).toMatchObject({ outcome: 'failed', bytes: 0, status: 500, detail: { error: 'ENOENT' } });
  });

  it('answers 500 when the pipeline never calls send', async () => {
    const r = await curl(['-i', `${t.base}/crash.cfg`]);
    const { status, body } = splitResponse(r.stdout);
    expect(status).toBe(500);
    expect(body.toString()).toBe('500 Internal Server Error\n');
  });
});

describe('ranges and validators', () => {
  it('serves a single range of a static file as 206 with the MD5 of those bytes', async () => {
    const r = await curl(['-i', '-r', '1000-70999', `${t.base}/fw/fw.rom`]);
    const { status, headers, body } = splitResponse(r.stdout);
    expect(status).toBe(206);
    expect(headers.get('content-range')).toEqual([`bytes 1000-70999/${blob.length}`]);
    expect(body.equals(blob.subarray(1000, 71000))).toBe(true);
    const f = await lastFetch('/fw/fw.rom');
    expect(f.req.detail).toEqual({ method: 'GET', range: 'bytes=1000-70999' });
    expect(f.result).toEqual({
      outcome: 'served',
      bytes: 70_000,
      md5: md5(blob.subarray(1000, 71000)),
      delivered: false,
      status: 206,
      detail: { method: 'GET', status: 206, range: `bytes 1000-70999/${blob.length}` },
    });
  });

  it('serves suffix and open ranges of a generated file', async () => {
    const suffix = await curl(['-r', '-10', `${t.base}/y000000000000.cfg`]);
    expect(suffix.stdout.equals(CFG.subarray(CFG.length - 10))).toBe(true);
    const open = await curl(['-i', '-r', '5-', `${t.base}/y000000000000.cfg`]);
    const { status, body } = splitResponse(open.stdout);
    expect(status).toBe(206);
    expect(body.equals(CFG.subarray(5))).toBe(true);
    const f = await lastFetch('/y000000000000.cfg');
    expect(f.result).toMatchObject({ bytes: CFG.length - 5, md5: md5(CFG.subarray(5)), status: 206 });
  });

  it('answers an unsatisfiable range with 416', async () => {
    const r = await curl(['-i', '-r', '999999-', `${t.base}/fw/fw.rom`]);
    const { status, headers } = splitResponse(r.stdout);
    expect(status).toBe(416);
    expect(headers.get('content-range')).toEqual([`bytes */${blob.length}`]);
    const f = await lastFetch('/fw/fw.rom');
    expect(f.result).toMatchObject({ outcome: 'served', bytes: 0, delivered: false, status: 416 });
  });

  it('answers several ranges with the whole body', async () => {
    const r = await curl(['-i', '-r', '0-1,5-6', `${t.base}/y000000000000.cfg`]);
    const { status, body } = splitResponse(r.stdout);
    expect(status).toBe(200);
    expect(body.equals(CFG)).toBe(true);
  });

  it('ignores Range when If-Range names another body', async () => {
    const r = await curl(['-i', '-r', '0-3', '-H', 'If-Range: "0123"', `${t.base}/y000000000000.cfg`]);
    expect(splitResponse(r.stdout).status).toBe(200);
    const ok = await curl(['-i', '-r', '0-3', '-H', `If-Range: "${md5(CFG)}"`, `${t.base}/y000000000000.cfg`]);
    expect(splitResponse(ok.stdout).status).toBe(206);
  });

  it.each([`"${md5(CFG)}"`, `"abc", W/"${md5(CFG)}"`, '*'])('answers If-None-Match %s with 304', async (inm) => {
    const r = await curl(['-i', '-H', `If-None-Match: ${inm}`, `${t.base}/y000000000000.cfg`]);
    const { status, headers, body } = splitResponse(r.stdout);
    expect(status).toBe(304);
    expect(body.length).toBe(0);
    expect(headers.get('etag')).toEqual([`"${md5(CFG)}"`]);
    const f = await lastFetch('/y000000000000.cfg');
    expect(f.result).toMatchObject({ outcome: 'served', bytes: 0, delivered: true, status: 304 });
    expect(f.result?.md5).toBeUndefined();
  });

  it('sends the body when If-None-Match names another version', async () => {
    const r = await curl(['-i', '-H', 'If-None-Match: "deadbeef"', `${t.base}/y000000000000.cfg`]);
    expect(splitResponse(r.stdout).status).toBe(200);
  });
});

describe('connections and paths', () => {
  it('reuses one connection for two URLs (keep-alive)', async () => {
    const r = await curl(['-o', '/dev/null', '-o', '/dev/null', '-w', '%{num_connects}\n',
      `${t.base}/y000000000000.cfg`, `${t.base}/fw/fw.rom`]);
    expect(r.stdout.toString()).toBe('1\n0\n');
  });

  it('honours Connection: close', async () => {
    const r = await curl(['-H', 'Connection: close', '-o', '/dev/null', '-o', '/dev/null', '-w', '%{num_connects}\n',
      `${t.base}/y000000000000.cfg`, `${t.base}/y000000000000.cfg`]);
    expect(r.stdout.toString()).toBe('1\n1\n');
  });

  // curl refuses a raw space in a URL (exit 3) and Node's parser refuses one on the wire (below),
  // so a space always arrives as %20.
  it.each(['/Folder%20Path/HTTP%20Directory/sip.cfg', '/Folder%20Path/HTTP%20Directory%2Fsip.cfg?mac=001565123456'])(
    'decodes %s',
    async (path) => {
      const r = await curl([`${t.base}${path}`]);
      expect(r.stdout.equals(SIP)).toBe(true);
      const f = await lastFetch('/Folder Path/HTTP Directory/sip.cfg');
      expect(f.result?.outcome).toBe('served');
    },
  );

  it('takes the path of an absolute-form target', async () => {
    const raw = await rawExchange(t.port, 'GET http://elsewhere.example/y000000000000.cfg HTTP/1.1\r\nConnection: close\r\n\r\n');
    const { status, body } = splitResponse(raw);
    expect(status).toBe(200);
    expect(body.equals(CFG)).toBe(true);
  });

  it('refuses malformed percent-encoding with 400 and records it', async () => {
    for (const bad of ['/a%zz.cfg', '/a%ff.cfg']) {
      const r = await curl(['-i', `${t.base}${bad}`]);
      const { status, body } = splitResponse(r.stdout);
      expect(status).toBe(400);
      expect(body.toString()).toBe('400 Bad Request\n');
      const rec = await eventually(() => t.pipeline.refusals.find((x) => x.req.path === bad));
      expect(rec).toMatchObject({ outcome: 'denied', reason: 'bad_percent_encoding', status: 400 });
    }
  });

  it('refuses a target that is not origin- or absolute-form', async () => {
    const raw = await rawExchange(t.port, 'GET * HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(splitResponse(raw).status).toBe(400);
    await eventually(() => t.pipeline.refusals.find((x) => x.reason === 'bad_request_target'));
  });

  it('refuses an over-long target with 414', async () => {
    const path = `/${'a'.repeat(4100)}.cfg`;
    const r = await curl(['-i', `${t.base}${path}`]);
    expect(splitResponse(r.stdout).status).toBe(414);
    const rec = await eventually(() => t.pipeline.refusals.find((x) => x.reason === 'target_too_long'));
    expect(rec.status).toBe(414);
    expect(rec.req.path.length).toBe(4096);
    expect(t.pipeline.fetches.some((f) => f.req.path === path)).toBe(false);
  });

  it('passes percent-encoded NUL and dot segments to the pipeline undecorated', async () => {
    await curl(['--path-as-is', `${t.base}/a%00b/../%2e%2e/x.cfg`]);
    await eventually(() => t.pipeline.fetches.find((f) => f.req.path === '/a\u0000b/../../x.cfg'));
  });

  it('records a request line Node rejects (raw space) as a 400', async () => {
    const raw = await rawExchange(t.port, 'GET /Folder Path/x.cfg HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(splitResponse(raw).status).toBe(400);
    const rec = await eventually(() => t.pipeline.refusals.find((x) => x.reason === 'malformed_request'));
    expect(rec).toMatchObject({ outcome: 'denied', status: 400, req: { path: '/Folder Path/x.cfg', protocol: 'http' } });
  });
});

describe('misses and denials', () => {
  it('answers a denial as not-found with the same bytes as a real miss', async () => {
    const strip = (b: Buffer): string => b.toString('latin1').replace(/^Date: .*\r\n/m, '');
    const miss = await curl(['-i', `${t.base}/001565abcdef.cfg`]);
    const denied = await curl(['-i', `${t.base}/001565123456.cfg`]);
    expect(splitResponse(miss.stdout).status).toBe(404);
    expect(strip(denied.stdout)).toBe(strip(miss.stdout));
    expect((await lastFetch('/001565abcdef.cfg')).result).toMatchObject({ outcome: 'not_found', status: 404, bytes: 0 });
    expect((await lastFetch('/001565123456.cfg')).result).toMatchObject({ outcome: 'denied', status: 404, bytes: 0 });
  });

  it('answers forbidden with 403', async () => {
    const r = await curl(['-i', `${t.base}/forbidden.cfg`]);
    expect(splitResponse(r.stdout).status).toBe(403);
  });

  it.each(['DELETE', 'POST', 'MKCOL', 'OPTIONS'])('refuses %s with 405', async (method) => {
    const r = await curl(['-i', '-X', method, `${t.base}/y000000000000.cfg`]);
    const { status, headers } = splitResponse(r.stdout);
    expect(status).toBe(405);
    expect(headers.get('allow')).toEqual(['GET, HEAD, PUT']);
    const rec = await eventually(() =>
      t.pipeline.refusals.find((x) => x.reason === 'method_not_allowed' && x.req.detail?.['method'] === method),
    );
    expect(rec).toMatchObject({ outcome: 'denied', status: 405, req: { path: '/y000000000000.cfg' } });
  });

  it('logs nothing per request', () => {
    expect(t.logLines).toEqual([]);
  });
});
