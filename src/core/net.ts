/** Address-block matching for the allowed-networks policy. */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** Strips the IPv4-mapped IPv6 prefix dual-stack sockets report (`::ffff:10.0.0.5`). */
export function plainAddress(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m?.[1] ?? address;
}

export class AddressBlocks {
  readonly #list = new BlockList();

  /** Throws on a malformed block; config validation reports it with file and line first. */
  constructor(blocks: readonly string[]) {
    for (const block of blocks) {
      const [net, bits] = block.split('/');
      const prefix = Number(bits);
      if (!net || !Number.isInteger(prefix)) throw new Error(`not an address block: ${block}`);
      if (isIPv4(net) && prefix <= 32) this.#list.addSubnet(net, prefix, 'ipv4');
      else if (isIPv6(net) && prefix <= 128) this.#list.addSubnet(net, prefix, 'ipv6');
      else throw new Error(`not an address block: ${block}`);
    }
  }

  /** True when the address falls in one of the blocks. */
  contains(address: string): boolean {
    const plain = plainAddress(address);
    if (isIPv4(plain)) return this.#list.check(plain, 'ipv4');
    // Zone ids (fe80::1%eth0) are not part of the address for matching purposes.
    const v6 = plain.replace(/%.*$/, '');
    if (isIPv6(v6)) return this.#list.check(v6, 'ipv6');
    return false;
  }
}

/** Problems with a list of address blocks, for config checking. */
export function addressBlockProblems(blocks: readonly string[]): string[] {
  const problems: string[] = [];
  for (const block of blocks) {
    try {
      new AddressBlocks([block]);
    } catch {
      problems.push(`not an address block: ${block}`);
    }
  }
  return problems;
}
