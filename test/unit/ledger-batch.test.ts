import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Mac } from '../../src/core/mac.js';
import { BatchBuilder, decodeBatch, PARAMS_PER_ROW, type EncodedBatch } from '../../src/ledger/batch.js';
import { COLUMNS, toParams } from '../../src/ledger/rows.js';
import type { LedgerEntry } from '../../src/ledger/types.js';
import { writerScriptUrl } from '../../src/ledger/writer-thread.js';

const FULL: LedgerEntry = {
  time: 1_700_000_000_123,
  protocol: 'https',
  peerAddress: '2001:db8::10',
  peerPort: 51515,
  mac: '001565f429a4' as Mac,
  identifiedBy: 'user-agent',
  path: '/001565f429a4.cfg',
  file: '001565f429a4.cfg',
  source: 'upload',
  outcome: 'stored',
  reason: 'why not',
  bytes: 4096,
  durationMs: 12.375,
  userAgent: 'Yealink SIP-T46U 108.86.0.20 00:15:65:f4:29:a4',
  user: 'phone1',
  md5: '0123456789abcdef0123456789abcdef',
  delivered: true,
  status: 201,
};
const BARE: LedgerEntry = {
  time: 5, protocol: 'tftp', peerAddress: '', peerPort: 0, path: '', outcome: 'aborted', bytes: 0, durationMs: 0, delivered: false,
};
// Text outside Latin-1 and outside the BMP: lengths are UTF-16 units, so cutting must line up.
const UNICODE: LedgerEntry = {
  ...BARE, outcome: 'not_found', path: '/配置/😀.cfg', userAgent: 'Téléphone ☎', reason: '', status: 404,
};

const cases: readonly [LedgerEntry, string | null, boolean | null][] = [
  [FULL, '{"etag":"x"}', true],
  [BARE, null, null],
  [UNICODE, '{"note":"ü😀"}', false],
  [{ ...FULL, status: undefined, outcome: 'denied', protocol: 'cli' }, null, null],
];

function build(capacity: number, rows: readonly (readonly [LedgerEntry, string | null, boolean | null])[]): EncodedBatch {
  const b = new BatchBuilder(capacity);
  for (const [e, d, c] of rows) b.add(e, d, c);
  const batch = b.take();
  if (batch === undefined) throw new Error('no batch');
  return batch;
}

describe('batch codec', () => {
  it('decodes to exactly the INSERT parameters toParams gives, row after row', () => {
    const batch = build(16, cases);
    expect(batch.rows).toBe(cases.length);
    expect(PARAMS_PER_ROW).toBe(COLUMNS.length);
    expect(decodeBatch(batch)).toEqual(cases.flatMap(([e, d, c]) => toParams(e, d, c)));
  });

  it('decodes from a row offset, and grows past its capacity', () => {
    const rows = Array.from({ length: 9 }, (_, i) => cases[i % cases.length] as (typeof cases)[number]);
    const batch = build(2, rows);
    expect(batch.rows).toBe(9);
    expect(decodeBatch(batch, 6)).toEqual(rows.slice(6).flatMap(([e, d, c]) => toParams(e, d, c)));
  });

  it('starts a fresh batch after take, and has none when empty', () => {
    const b = new BatchBuilder(4);
    expect(b.take()).toBeUndefined();
    b.add(FULL, null, null);
    const first = b.take();
    b.add(BARE, null, null);
    expect(b.length).toBe(1);
    const second = b.take();
    expect(first && decodeBatch(first)).toEqual(toParams(FULL, null, null));
    expect(second && decodeBatch(second)).toEqual(toParams(BARE, null, null));
  });

  it('refuses a batch whose lengths do not match its text', () => {
    const batch = build(4, [[FULL, null, null]]);
    expect(() => decodeBatch({ ...batch, text: `${batch.text}x` })).toThrow(/malformed batch/);
    expect(() => decodeBatch({ ...batch, codes: new Uint8Array([99, 0, 0]) })).toThrow(/malformed batch at row 0/);
  });
});

describe('writer script location', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
  });

  function layout(files: readonly string[]): string {
    const root = mkdtempSync(join(tmpdir(), 'provd-writer-url-'));
    roots.push(root);
    for (const f of files) {
      mkdirSync(join(root, f, '..'), { recursive: true });
      writeFileSync(join(root, f), '');
    }
    return root;
  }

  it('uses the sibling file in a build', () => {
    const r = layout(['dist/src/ledger/writer-thread.js', 'dist/src/ledger/ledger-worker.js']);
    expect(writerScriptUrl(pathToFileURL(join(r, 'dist/src/ledger/writer-thread.js')).href).href).toBe(
      pathToFileURL(join(r, 'dist/src/ledger/ledger-worker.js')).href,
    );
  });

  it('uses the build in dist/ when running from the TypeScript sources', () => {
    const r = layout(['src/ledger/writer-thread.ts', 'dist/src/ledger/ledger-worker.js']);
    expect(writerScriptUrl(pathToFileURL(join(r, 'src/ledger/writer-thread.ts')).href).href).toBe(
      pathToFileURL(join(r, 'dist/src/ledger/ledger-worker.js')).href,
    );
  });

  it('says to build when there is no compiled writer', () => {
    const r = layout(['src/ledger/writer-thread.ts']);
    expect(() => writerScriptUrl(pathToFileURL(join(r, 'src/ledger/writer-thread.ts')).href)).toThrow(/npx tsc -p tsconfig.json/);
    // A build missing its writer does not fall back to some other tree.
    const b = layout(['dist/src/ledger/writer-thread.js', 'dist/dist/src/ledger/ledger-worker.js']);
    expect(() => writerScriptUrl(pathToFileURL(join(b, 'dist/src/ledger/writer-thread.js')).href)).toThrow(/not found/);
  });
});
