/**
 * Per-client option profiles: some phones' boot loaders choke on OACK or on large blocks, so an
 * admin can narrow what clients in given address blocks may negotiate. First matching profile
 * wins; clients no profile matches get the server-wide limits.
 */
import { AddressBlocks } from '../../core/net.js';
import { KNOWN_OPTIONS, type KnownOption, type OptionLimits } from './options.js';

export interface ClientProfileSpec {
  readonly networks: readonly string[];
  /** Options these clients may negotiate; [] means plain RFC 1350 (no OACK at all). */
  readonly options?: readonly KnownOption[];
  readonly max_blksize?: number;
  readonly max_windowsize?: number;
}

export class ClientProfiles {
  readonly #defaults: OptionLimits;
  readonly #profiles: { blocks: AddressBlocks; limits: OptionLimits }[];

  /** Blocks were validated by the config schema; a malformed one throws here. */
  constructor(defaults: { maxBlksize: number; maxWindowsize: number }, specs: readonly ClientProfileSpec[]) {
    this.#defaults = { ...defaults, allowed: new Set(KNOWN_OPTIONS) };
    this.#profiles = specs.map((s) => ({
      blocks: new AddressBlocks(s.networks),
      limits: {
        maxBlksize: Math.min(s.max_blksize ?? defaults.maxBlksize, defaults.maxBlksize),
        maxWindowsize: Math.min(s.max_windowsize ?? defaults.maxWindowsize, defaults.maxWindowsize),
        allowed: new Set(s.options ?? KNOWN_OPTIONS),
      },
    }));
  }

  limitsFor(address: string): OptionLimits {
    for (const p of this.#profiles) if (p.blocks.contains(address)) return p.limits;
    return this.#defaults;
  }
}
