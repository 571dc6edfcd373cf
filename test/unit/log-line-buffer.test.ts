import { describe, expect, it } from 'vitest';
import { LineBuffer } from '../../src/log/line-buffer.js';

function sink(): { chunks: string[]; synced: number; write(t: string): void; flushSync(): void } {
  return {
    chunks: [],
    synced: 0,
    write(t) {
      this.chunks.push(t);
    },
    flushSync() {
      this.synced++;
    },
  };
}

describe('log line buffer', () => {
  it('hands lines on in order, one chunk once the size is reached', () => {
    const s = sink();
    const b = new LineBuffer(s, { chunkChars: 10, flushMs: 10_000 });
    b.write('aaaa\n');
    b.write('bbbb\n');
    expect(s.chunks).toEqual(['aaaa\nbbbb\n']);
    b.write('cc\n');
    expect(s.chunks).toHaveLength(1);
    b.flushSync();
    expect(s.chunks).toEqual(['aaaa\nbbbb\n', 'cc\n']);
    expect(s.synced).toBe(1);
  });

  it('writes a lone line after the flush interval', async () => {
    const s = sink();
    const b = new LineBuffer(s, { chunkChars: 1000, flushMs: 20 });
    b.write('one\n');
    expect(s.chunks).toEqual([]);
    await new Promise((r) => setTimeout(r, 80));
    expect(s.chunks).toEqual(['one\n']);
  });
});
