/**
 * Transfers cut short by the client, keep-alive expiry, and close(): in-flight transfers finish,
 * stalled ones are cut at the deadline, and no new connection is accepted.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RecordingPipeline,
  curl,
  eventually,
  md5,
  staticFile,
  startServer,
  type FetchRecord,
  type Running,
} from '../fixtures/http/harness.js';

const SIZE = 32 * 1024 * 1024;
let dir: string;
let blob: Buffer;

function pipelineWithBlob(): RecordingPipeline {
  const p = new RecordingPipeline();
  p.routes.set('/fw/big.rom', { kind: 'file', file: staticFile('fw/big.rom', join(dir, 'big.rom'), blob), identity: {} });
  return p;
}

function finishedFetch(t: Running): Promise<FetchRecord> {
  return eventually(() => t.pipeline.fetches.find((f) => f.result), 15_000);
}

/** Opens a connection, sends a request, and lets the test decide how to read. */
function open(port: number, request: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => {
      s.write(request);
      resolve(s);
    });
    s.on('error', reject);
  });
}

function readAll(s: Socket): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('close', () => resolve(Buffer.concat(chunks)));
    s.resume();
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'provd-life-'));
  blob = randomBytes(SIZE);
  writeFileSync(join(dir, 'big.rom'), blob);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('aborted transfers', () => {
  it('records aborted, with the bytes flushed and their MD5, when curl gives up (--max-filesize)', async () => {
    const t = await startServer(pipelineWithBlob());
    try {
      const r = await curl(['--max-filesize', '1000', '-o', '/dev/null', `${t.base}/fw/big.rom`]);
      expect(r.code).toBe(63);
      const f = await finishedFetch(t);
      expect(f.result?.outcome).toBe('aborted');
      expect(f.result?.delivered).toBe(false);
      expect(f.result?.status).toBe(200);
      const bytes = f.result?.bytes ?? -1;
      expect(bytes).toBeGreaterThanOrEqual(0);
      expect(bytes).toBeLessThan(SIZE);
      // The first 64 KiB chunk is taken by the kernel before curl even reads the headers.
      expect(bytes).toBeGreaterThan(0);
      expect(f.result?.md5).toBe(md5(blob.subarray(0, bytes)));
    } finally {
      await t.server.close();
    }
  });

  it('records aborted for a range the client stops reading, with the MD5 of the range prefix sent', async () => {
    const t = await startServer(pipelineWithBlob());
    try {
      const start = 1_000_000;
      const s = await open(t.port, `GET /fw/big.rom HTTP/1.1\r\nHost: x\r\nRange: bytes=${start}-\r\n\r\n`);
      let got = 0;
      await new Promise<void>((resolve) => {
        s.on('data', (c: Buffer) => {
          got += c.length;
          if (got > 200_000) {
            s.destroy();
            resolve();
          }
        });
      });
      const f = await finishedFetch(t);
      expect(f.result).toMatchObject({ outcome: 'aborted', status: 206, delivered: false });
      const bytes = f.result?.bytes ?? 0;
      expect(bytes).toBeGreaterThan(0);
      expect(bytes).toBeLessThan(SIZE - start);
      expect(f.result?.md5).toBe(md5(blob.subarray(start, start + bytes)));
    } finally {
      await t.server.close();
    }
  });
});

describe('connections', () => {
  it('closes an idle keep-alive connection after keepAliveSeconds', async () => {
    const t = await startServer(pipelineWithBlob(), { keepAliveSeconds: 1 });
    try {
      const s = await open(t.port, 'HEAD /fw/big.rom HTTP/1.1\r\nHost: x\r\n\r\n');
      const began = Date.now();
      const reply = await readAll(s);
      expect(reply.toString('latin1')).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      const idle = Date.now() - began;
      expect(idle).toBeGreaterThan(800);
      expect(idle).toBeLessThan(4000);
    } finally {
      await t.server.close();
    }
  });
});

describe('close()', () => {
  it('lets an in-flight transfer finish and refuses new connections meanwhile', async () => {
    const t = await startServer(pipelineWithBlob(), { closeGraceMs: 10_000 });
    const s = await open(t.port, 'GET /fw/big.rom HTTP/1.1\r\nHost: x\r\n\r\n');
    s.pause();
    // The transfer is under way: its request arrived and has no result yet.
    await eventually(() => (t.pipeline.fetches.length === 1 && !t.pipeline.fetches[0]?.result && s.bytesWritten > 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 50));
    const closing = t.server.close();
    const refused = await new Promise<string>((resolve) => {
      const c = connect(t.port, '127.0.0.1');
      c.on('connect', () => resolve('connected'));
      c.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    const body = await readAll(s);
    await closing;
    const headEnd = body.indexOf('\r\n\r\n') + 4;
    expect(body.subarray(0, headEnd).toString('latin1')).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(md5(body.subarray(headEnd))).toBe(md5(blob));
    const f = await finishedFetch(t);
    expect(f.result).toMatchObject({ outcome: 'served', bytes: SIZE, delivered: true });
  });

  it('cuts a stalled transfer at the deadline and records it aborted', async () => {
    const t = await startServer(pipelineWithBlob(), { closeGraceMs: 300 });
    const s = await open(t.port, 'GET /fw/big.rom HTTP/1.1\r\nHost: x\r\n\r\n');
    s.pause();
    s.on('error', () => undefined);
    await new Promise((r) => setTimeout(r, 100));
    const began = Date.now();
    await t.server.close();
    const took = Date.now() - began;
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(3000);
    const f = await finishedFetch(t);
    expect(f.result?.outcome).toBe('aborted');
    expect(f.result?.bytes).toBeLessThan(SIZE);
    s.destroy();
  });

  it('returns at once when only idle keep-alive connections remain', async () => {
    const t = await startServer(pipelineWithBlob(), { closeGraceMs: 10_000, keepAliveSeconds: 60 });
    const s = await open(t.port, 'HEAD /fw/big.rom HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => t.pipeline.fetches.find((f) => f.result));
    const began = Date.now();
    await t.server.close();
    expect(Date.now() - began).toBeLessThan(1000);
    const reply = await readAll(s);
    expect(reply.toString('latin1')).toMatch(/^HTTP\/1\.1 200 OK/);
  });
});
