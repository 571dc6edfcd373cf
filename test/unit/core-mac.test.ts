import { describe, expect, it } from 'vitest';
import { isZeroMac, macColons, macUpper, parseMac } from '../../src/core/mac.js';

describe('parseMac', () => {
  it.each([
    ['001565f429a4', '001565f429a4'],
    ['00:15:65:F4:29:A4', '001565f429a4'],
    ['c0-74-ad-65-6e-2c', 'c074ad656e2c'],
    ['0015.65f4.29a4', '001565f429a4'],
    ['001565-F429A4', '001565f429a4'],
    ['  00156574B150 ', '00156574b150'],
  ])('accepts %s', (input, expected) => {
    expect(parseMac(input)).toBe(expected);
  });

  it.each(['', '00156574b15', '00156574b1500', '00:15:65-f4:29:a4', 'zz156574b150', '00:15:65:f4:29', '0015.65f4.29a4.00'])(
    'rejects %j',
    (input) => {
      expect(parseMac(input)).toBeUndefined();
    },
  );

  it('formats for vendors', () => {
    const mac = parseMac('00156574b150')!;
    expect(macUpper(mac)).toBe('00156574B150');
    expect(macColons(mac)).toBe('00:15:65:74:b1:50');
    expect(isZeroMac(parseMac('000000000000')!)).toBe(true);
    expect(isZeroMac(mac)).toBe(false);
  });
});
