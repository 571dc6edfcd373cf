import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { Mac } from '../../src/core/mac.js';
import { openPeerIndex } from '../../src/ledger/peers.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import type { LedgerEntry } from '../../src/ledger/types.js';
import { ledgerAttribution } from '../../src/syslog/attribution.js';

function fetch(mac: Mac | undefined, address: string, time: number): LedgerEntry {
  return { time, protocol: 'http', peerAddress: address, peerPort: 40000, mac, path: '/x.cfg', outcome: 'served', bytes: 1, durationMs: 1, delivered: true };
}

test('the ledger file says which device was last seen at an address, read incrementally', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'provd-peers-')), 'ledger.sqlite');
  const index = openPeerIndex(file, 0);
  index.refresh(); // no file yet: nothing, no error
  expect(index.macAt('10.0.0.5')).toBeUndefined();

  const ledger = openSqliteLedger({ file, flushIntervalMs: 60_000 });
  try {
    ledger.record(fetch('001565000001' as Mac, '10.0.0.5', 1000));
    ledger.record(fetch(undefined, '10.0.0.6', 1001)); // a request that named no device
    ledger.record(fetch('001565000002' as Mac, '10.0.0.7', 1002));
    ledger.flush();
    index.refresh();
    expect([index.macAt('10.0.0.5'), index.macAt('10.0.0.6'), index.macAt('10.0.0.7')]).toEqual(['001565000001', undefined, '001565000002']);

    // The phone at .5 was replaced by another one: the newer record wins.
    ledger.record(fetch('001565000003' as Mac, '10.0.0.5', 2000));
    ledger.flush();
    expect(index.macAt('10.0.0.5')).toBe('001565000001');
    index.refresh();
    expect(index.macAt('10.0.0.5')).toBe('001565000003');

    // An unknown address triggers a re-read, at most once per second.
    let now = 10_000;
    const attribution = ledgerAttribution(index, () => now);
    expect(attribution.macFor('10.0.0.5')).toBe('001565000003'); // first use reads the ledger
    ledger.record(fetch('001565000004' as Mac, '10.0.0.8', 3000));
    ledger.flush();
    expect(attribution.macFor('10.0.0.8')).toBeUndefined(); // read less than a second ago
    now += 1000;
    expect(attribution.macFor('10.0.0.8')).toBe('001565000004');
  } finally {
    index.close();
    ledger.close();
  }
});
