/**
 * HTTPS: the same adapter over TLS with a self-signed certificate made by the openssl CLI, checked
 * by curl both with -k and against the certificate itself (name and address must match).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RecordingPipeline,
  curl,
  eventually,
  md5,
  memoryFile,
  splitResponse,
  startServer,
  type Running,
} from '../fixtures/http/harness.js';

const CFG = Buffer.from('P6767 = 2\nP192 = 127.0.0.1/gs\n');
let dir: string;
let t: Running;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'provd-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ], { stdio: 'ignore' });
  const p = new RecordingPipeline();
  p.routes.set('/gs/cfg000b82123456.xml', { kind: 'file', file: memoryFile('cfg000b82123456.xml', CFG), identity: {} });
  t = await startServer(p, {
    tls: { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) },
  });
});

afterAll(async () => {
  await t.server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('HTTPS', () => {
  it('serves over TLS and records protocol https', async () => {
    expect(t.server.protocol).toBe('https');
    const r = await curl(['-k', '-i', `${t.base}/gs/cfg000b82123456.xml`]);
    expect(r.code).toBe(0);
    const { status, body, headers } = splitResponse(r.stdout);
    expect(status).toBe(200);
    expect(body.equals(CFG)).toBe(true);
    expect(headers.get('etag')).toEqual([`"${md5(CFG)}"`]);
    const f = await eventually(() => t.pipeline.fetches.find((x) => x.result));
    expect(f.req.protocol).toBe('https');
    expect(f.result).toMatchObject({ outcome: 'served', bytes: CFG.length, md5: md5(CFG), delivered: true });
  });

  it('presents a certificate curl can verify by name', async () => {
    const r = await curl(['--cacert', join(dir, 'cert.pem'), '-o', '/dev/null', '-w', '%{http_code}',
      `${t.base}/gs/cfg000b82123456.xml`]);
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toBe('200');
  });

  it('keeps the TLS connection alive across requests', async () => {
    const url = `${t.base}/gs/cfg000b82123456.xml`;
    const r = await curl(['-k', '-o', '/dev/null', '-o', '/dev/null', '-w', '%{num_connects}\n', url, url]);
    expect(r.stdout.toString()).toBe('1\n0\n');
  });

  it('answers a miss with 404 over TLS', async () => {
    const r = await curl(['-k', '-o', '/dev/null', '-w', '%{http_code}', `${t.base}/gs/cfg000b82999999.xml`]);
    expect(r.stdout.toString()).toBe('404');
  });
});
