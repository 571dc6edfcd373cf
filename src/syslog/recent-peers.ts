/**
 * The address each device was last seen at by this daemon, learnt as the pipeline records
 * fetches and PnP exchanges. It answers at once (the ledger file lags its writer thread by up to
 * ~200 ms, and a phone logs right after it fetched its config); the ledger file covers what
 * happened before this daemon started.
 */
import type { Mac } from '../core/mac.js';
import type { Ledger, LedgerEntry } from '../ledger/types.js';
import type { AddressAttribution } from './attribution.js';

export class RecentPeers implements AddressAttribution {
  readonly #byAddress = new Map<string, Mac>();
  readonly #max: number;

  constructor(maxAddresses = 200_000) {
    this.#max = maxAddresses;
  }

  note(address: string, mac: Mac): void {
    if (this.#byAddress.get(address) === mac) return;
    this.#byAddress.delete(address);
    this.#byAddress.set(address, mac);
    if (this.#byAddress.size > this.#max) {
      const oldest = this.#byAddress.keys().next().value;
      if (oldest !== undefined) this.#byAddress.delete(oldest);
    }
  }

  macFor(address: string): Mac | undefined {
    return this.#byAddress.get(address);
  }
}

/**
 * The same ledger, telling `peers` about every record that names a device. Only records the
 * pipeline identified count (a request naming a MAC it has no business with is denied, and
 * denied records are not learnt, so a scanner cannot claim another phone's logs).
 */
export function ledgerFeedingPeers(ledger: Ledger, peers: RecentPeers): Ledger {
  return {
    record(entry: LedgerEntry) {
      if (entry.mac && entry.outcome !== 'denied') peers.note(entry.peerAddress, entry.mac);
      return ledger.record(entry);
    },
    lastDelivery: (mac, file) => ledger.lastDelivery(mac, file),
    query: (q) => ledger.query(q),
    flush: () => ledger.flush(),
    prune: (olderThan) => ledger.prune(olderThan),
    close: () => ledger.close(),
  };
}
