/**
 * Who sent a syslog datagram: a device MAC for a source address. Sources are tried in order:
 * the DHCP helper's leases (core `LeaseLookup`, the same shape) when it runs, then the ledger's
 * last-seen address. Several phones behind one NAT address cannot be told apart: the latest one wins.
 */
import type { Mac } from '../core/mac.js';
import type { PeerIndex } from '../ledger/peers.js';

export interface AddressAttribution {
  macFor(address: string): Mac | undefined;
}

/** The first source that knows the address wins. */
export function attributionChain(sources: readonly AddressAttribution[]): AddressAttribution {
  return {
    macFor(address) {
      for (const s of sources) {
        const mac = s.macFor(address);
        if (mac) return mac;
      }
      return undefined;
    },
  };
}

/**
 * The ledger's last-seen address. An unknown address makes it re-read the ledger, at most once
 * per `missRefreshMs`, so a phone that fetched its config a moment ago is found at once.
 */
export function ledgerAttribution(index: PeerIndex, now: () => number, missRefreshMs = 1000, staleMs = 30_000): AddressAttribution {
  let lastRefresh = Number.NEGATIVE_INFINITY;
  const refresh = () => {
    lastRefresh = now();
    try {
      index.refresh();
    } catch {
      // A ledger being migrated or locked: try again on a later miss.
    }
  };
  return {
    macFor(address) {
      // Re-read now and then even on hits, so a phone that moved to another address is followed.
      if (now() - lastRefresh > staleMs) refresh();
      const mac = index.macAt(address);
      if (mac) return mac;
      if (now() - lastRefresh < missRefreshMs) return undefined;
      refresh();
      return index.macAt(address);
    },
  };
}
