import { describe, expect, it } from 'vitest';
import type { Mac } from '../../src/core/mac.js';
import {
  computeStatus, deliveryKey, formatLedgerTable, formatStatusTable, ledgerRowsToJson, statusRowsToJson,
} from '../../src/ledger/format.js';
import type { LastDelivery, LedgerRow } from '../../src/ledger/types.js';

const MAC_A = '001565f429a4' as Mac;
const MAC_B = '805ec0112233' as Mac;
const MD5_1 = '0123456789abcdef0123456789abcdef';
const MD5_2 = 'fedcba9876543210fedcba9876543210';

const rows: LedgerRow[] = [
  {
    id: 3, time: Date.UTC(2024, 4, 1, 12, 0, 2, 345), protocol: 'https', peerAddress: '2001:db8::7', peerPort: 5061,
    mac: MAC_B, identifiedBy: 'user-agent', path: '/805ec0112233.cfg', file: '805ec0112233.cfg', source: 'generated',
    outcome: 'served', bytes: 20480, durationMs: 3.25, md5: MD5_2, delivered: true, status: 200, changed: true,
    detail: { z: 1, a: { y: 2, b: 3 } },
  },
  {
    id: 2, time: Date.UTC(2024, 4, 1, 12, 0, 1), protocol: 'tftp', peerAddress: '10.0.0.9', peerPort: 1024,
    path: '/x\u001b[2J/../../etc/passwd', outcome: 'denied', reason: 'bad_path', bytes: 0, durationMs: 0,
    delivered: false, changed: null,
  },
  {
    id: 1, time: Date.UTC(2024, 4, 1, 12, 0, 0), protocol: 'http', peerAddress: '192.0.2.10', peerPort: 40000,
    mac: MAC_A, identifiedBy: 'path', path: `/${'d'.repeat(80)}/y000000000028.cfg`, file: 'y000000000028.cfg',
    source: 'generated', outcome: 'served', bytes: 512, durationMs: 1, md5: MD5_1, delivered: true, status: 200,
    userAgent: 'Yealink SIP-T46U 108.86.0.20 00:15:65:f4:29:a4', user: 'phone1', changed: null,
  },
];

describe('formatLedgerTable', () => {
  it('renders fixed columns, escapes control characters and shortens long paths', () => {
    expect(formatLedgerTable(rows)).toBe(
      [
        'TIME                      PROTO  PEER                MAC           PATH                                                              OUTCOME          BYTES  MD5       CHANGED',
        '2024-05-01T12:00:02.345Z  https  [2001:db8::7]:5061  805ec0112233  /805ec0112233.cfg                                                 served           20480  fedcba98  yes',
        '2024-05-01T12:00:01.000Z  tftp   10.0.0.9:1024       -             /x\\x1b[2J/../../etc/passwd                                        denied/bad_path      0  -         -',
        '2024-05-01T12:00:00.000Z  http   192.0.2.10:40000    001565f429a4  /ddddddddddddddddddddddddddddd...ddddddddddddd/y000000000028.cfg  served             512  01234567  first',
        '',
      ].join('\n'),
    );
  });

  it('prints only the header for no rows', () => {
    expect(formatLedgerTable([])).toBe('TIME  PROTO  PEER  MAC  PATH  OUTCOME  BYTES  MD5  CHANGED\n');
  });
});

describe('ledgerRowsToJson', () => {
  it('writes one object per line with every key in a fixed order', () => {
    const out = ledgerRowsToJson(rows);
    const lines = out.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines[0]).toBe(
      '{"id":3,"time":"2024-05-01T12:00:02.345Z","timeMs":1714564802345,"protocol":"https","peerAddress":"2001:db8::7",' +
        '"peerPort":5061,"mac":"805ec0112233","identifiedBy":"user-agent","path":"/805ec0112233.cfg","file":"805ec0112233.cfg",' +
        '"source":"generated","outcome":"served","reason":null,"status":200,"bytes":20480,"durationMs":3.25,"userAgent":null,' +
        '"user":null,"md5":"fedcba9876543210fedcba9876543210","delivered":true,"changed":true,"detail":{"a":{"b":3,"y":2},"z":1}}',
    );
    const second = JSON.parse(lines[1] ?? '') as Record<string, unknown>;
    expect(Object.keys(second)).toEqual(Object.keys(JSON.parse(lines[0] ?? '') as object));
    expect(second.path).toBe('/x\u001b[2J/../../etc/passwd');
    expect(second.mac).toBeNull();
    expect(ledgerRowsToJson([])).toBe('');
  });
});

describe('computeStatus', () => {
  const last = new Map<string, LastDelivery>([
    [deliveryKey(MAC_A, 'a.cfg'), { md5: MD5_1, time: Date.UTC(2024, 0, 2) }],
    [deliveryKey(MAC_A, 'b.cfg'), { md5: MD5_1, time: Date.UTC(2024, 0, 3) }],
    [deliveryKey(MAC_B, 'z.cfg'), { md5: MD5_2, time: Date.UTC(2024, 0, 4) }],
  ]);
  const current = [
    { mac: MAC_B, file: 'a.cfg', md5: MD5_1 },
    { mac: MAC_A, file: 'b.cfg', md5: MD5_2 },
    { mac: MAC_A, file: 'a.cfg', md5: MD5_1 },
  ];

  it('tells never, current and pending apart, sorted by mac then file', () => {
    expect(computeStatus(current, last)).toEqual([
      { mac: MAC_A, file: 'a.cfg', state: 'current', currentMd5: MD5_1, deliveredMd5: MD5_1, lastFetch: Date.UTC(2024, 0, 2) },
      { mac: MAC_A, file: 'b.cfg', state: 'pending', currentMd5: MD5_2, deliveredMd5: MD5_1, lastFetch: Date.UTC(2024, 0, 3) },
      { mac: MAC_B, file: 'a.cfg', state: 'never', currentMd5: MD5_1, deliveredMd5: null, lastFetch: null },
    ]);
    expect(computeStatus([...current].reverse(), last)).toEqual(computeStatus(current, last));
  });

  it('does not mix up files of the same device or the same file of two devices', () => {
    const status = computeStatus([{ mac: MAC_B, file: 'a.cfg', md5: MD5_2 }], last);
    expect(status[0]?.state).toBe('never');
  });

  it('rejects a pair listed twice', () => {
    expect(() => computeStatus([current[0]!, current[0]!], last)).toThrow(/805ec0112233 a\.cfg listed twice/);
  });

  it('formats as a table and as JSON lines', () => {
    const status = computeStatus(current, last);
    expect(formatStatusTable(status)).toBe(
      [
        'MAC           FILE   STATE    CURRENT MD5                       DELIVERED MD5                     LAST FETCH',
        '001565f429a4  a.cfg  current  0123456789abcdef0123456789abcdef  0123456789abcdef0123456789abcdef  2024-01-02T00:00:00.000Z',
        '001565f429a4  b.cfg  pending  fedcba9876543210fedcba9876543210  0123456789abcdef0123456789abcdef  2024-01-03T00:00:00.000Z',
        '805ec0112233  a.cfg  never    0123456789abcdef0123456789abcdef  -                                 -',
        '',
      ].join('\n'),
    );
    expect(statusRowsToJson(status).split('\n')[2]).toBe(
      '{"mac":"805ec0112233","file":"a.cfg","state":"never","currentMd5":"0123456789abcdef0123456789abcdef","deliveredMd5":null,"lastFetch":null}',
    );
  });
});
