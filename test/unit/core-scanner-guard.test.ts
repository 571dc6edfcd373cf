import { describe, expect, it } from 'vitest';
import { parseMac, type Mac } from '../../src/core/mac.js';
import { ScannerGuard } from '../../src/core/scanner-guard.js';

const mac = (n: number): Mac => parseMac(n.toString(16).padStart(12, '0'))!;

describe('ScannerGuard', () => {
  it('blocks an address after too many distinct unknown MACs, for the block time', () => {
    let now = 1_000;
    const guard = new ScannerGuard({ unknownMacs: 3, windowMs: 60_000, blockMs: 10_000, now: () => now });
    expect([1, 2, 3].map((n) => guard.noteUnknown('10.0.0.9', mac(n)))).toEqual([false, false, false]);
    expect(guard.isBlocked('10.0.0.9')).toBe(false);
    expect(guard.noteUnknown('10.0.0.9', mac(4))).toBe(true);
    expect(guard.isBlocked('10.0.0.9')).toBe(true);
    expect(guard.isBlocked('10.0.0.10')).toBe(false);
    now += 10_001;
    expect(guard.isBlocked('10.0.0.9')).toBe(false);
  });

  it('never blocks a phone retrying its own MAC', () => {
    const guard = new ScannerGuard({ unknownMacs: 2, windowMs: 60_000, blockMs: 10_000, now: () => 5 });
    for (let i = 0; i < 100; i++) expect(guard.noteUnknown('10.0.0.7', mac(42))).toBe(false);
    expect(guard.isBlocked('10.0.0.7')).toBe(false);
  });

  it('forgets MACs outside the window', () => {
    let now = 0;
    const guard = new ScannerGuard({ unknownMacs: 2, windowMs: 1_000, blockMs: 10_000, now: () => now });
    guard.noteUnknown('a', mac(1));
    guard.noteUnknown('a', mac(2));
    now = 5_000;
    expect(guard.noteUnknown('a', mac(3))).toBe(false);
    expect(guard.isBlocked('a')).toBe(false);
  });

  it('bounds the number of tracked addresses', () => {
    const guard = new ScannerGuard({ unknownMacs: 1, windowMs: 1_000, blockMs: 10_000, now: () => 0, maxTracked: 2 });
    guard.noteUnknown('a', mac(1));
    guard.noteUnknown('a', mac(2));
    expect(guard.isBlocked('a')).toBe(true);
    guard.noteUnknown('b', mac(1));
    guard.noteUnknown('c', mac(1));
    // 'a' was the oldest tracked address and has been forgotten.
    expect(guard.isBlocked('a')).toBe(false);
  });
});
