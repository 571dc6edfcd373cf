import { describe, expect, it } from 'vitest';
import { AddressBlocks, addressBlockProblems, plainAddress } from '../../src/core/net.js';

describe('AddressBlocks', () => {
  const blocks = new AddressBlocks(['127.0.0.0/8', '10.0.0.0/8', '192.168.0.0/16', '::1/128', 'fc00::/7']);

  it.each([
    ['127.0.0.1', true],
    ['::ffff:127.0.0.1', true],
    ['10.200.1.2', true],
    ['192.168.1.10', true],
    ['::1', true],
    ['fd12:3456::1', true],
    ['172.16.0.1', false],
    ['8.8.8.8', false],
    ['::ffff:8.8.8.8', false],
    ['2001:db8::1', false],
    ['not-an-address', false],
  ])('%s -> %s', (address, inside) => {
    expect(blocks.contains(address)).toBe(inside);
  });

  it('reports malformed blocks', () => {
    expect(addressBlockProblems(['10.0.0.0/8', '10.0.0.0/33', 'foo/8', '::/129'])).toEqual([
      'not an address block: 10.0.0.0/33',
      'not an address block: foo/8',
      'not an address block: ::/129',
    ]);
    expect(() => new AddressBlocks(['1.2.3.4'])).toThrow(/not an address block/);
  });

  it('strips the IPv4-mapped prefix', () => {
    expect(plainAddress('::ffff:10.0.0.5')).toBe('10.0.0.5');
    expect(plainAddress('fe80::1')).toBe('fe80::1');
  });
});
