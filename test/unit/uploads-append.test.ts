/** The upload store's append mode (Polycom logs): capped in total, trimmed at a line, serialised. */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMac, type Mac } from '../../src/core/mac.js';
import { DiskUploadStore, tailWithin } from '../../src/store/uploads.js';

const MAC = parseMac('0004f2a1b2c3') as Mac;

async function* chunks(...parts: string[]): AsyncGenerator<Buffer> {
  for (const p of parts) {
    await new Promise((r) => setImmediate(r));
    yield Buffer.from(p);
  }
}

describe('DiskUploadStore append', () => {
  it('appends, and two appends racing on one file both land, in call order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provd-up-'));
    const store = new DiskUploadStore(dir);
    const opts = { maxBytes: 10_000, mode: 'append' as const };
    await store.write(MAC, `${MAC}-app.log`, chunks('a1\n'), opts);
    const [x, y] = await Promise.all([
      store.write(MAC, `${MAC}-app.log`, chunks('b1\n', 'b2\n'), opts),
      store.write(MAC, `${MAC}-app.log`, chunks('c1\n'), opts),
    ]);
    expect(x).toMatchObject({ ok: true, bytes: 6, created: false });
    expect(y).toMatchObject({ ok: true, bytes: 3, created: false });
    expect(readFileSync(join(dir, 'uploads', MAC, `${MAC}-app.log`), 'utf8')).toBe('a1\nb1\nb2\nc1\n');
    // No temporary file is left behind.
    expect(readdirSync(join(dir, 'uploads', MAC))).toEqual([`${MAC}-app.log`]);
  });

  it('keeps the stored file within the cap and refuses an oversized body without touching the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provd-up-'));
    const store = new DiskUploadStore(dir);
    const opts = { maxBytes: 20, mode: 'append' as const };
    await store.write(MAC, `${MAC}-boot.log`, chunks('line-one\nline-two\n'), opts); // 18 bytes
    await store.write(MAC, `${MAC}-boot.log`, chunks('three\n'), opts); // room 14 -> "line-two\n"
    const file = join(dir, 'uploads', MAC, `${MAC}-boot.log`);
    expect(readFileSync(file, 'utf8')).toBe('line-two\nthree\n');
    const big = await store.write(MAC, `${MAC}-boot.log`, chunks('x'.repeat(15), 'y'.repeat(15)), opts);
    expect(big).toMatchObject({ ok: false, tooLarge: true });
    expect(readFileSync(file, 'utf8')).toBe('line-two\nthree\n');
    expect(readdirSync(join(dir, 'uploads', MAC))).toEqual([`${MAC}-boot.log`]);
  });

  it('tailWithin cuts at the first line break inside the kept part', () => {
    const old = Buffer.from('aaaa\nbbbb\ncccc\n');
    expect(tailWithin(old, 100).toString()).toBe('aaaa\nbbbb\ncccc\n');
    expect(tailWithin(old, 8).toString()).toBe('cccc\n');
    expect(tailWithin(old, 5).toString()).toBe('cccc\n');
    expect(tailWithin(Buffer.from('no-newlines-here'), 5).toString()).toBe('-here');
    expect(tailWithin(old, 0).length).toBe(0);
  });
});
