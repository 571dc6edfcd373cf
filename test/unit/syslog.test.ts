import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Mac } from '../../src/core/mac.js';
import { attributionChain } from '../../src/syslog/attribution.js';
import { SyslogFramer } from '../../src/syslog/framing.js';
import { LogHealth, registrationFailure } from '../../src/syslog/health.js';
import { oneLine, parseSyslog } from '../../src/syslog/parse.js';
import { LogStore } from '../../src/syslog/store.js';

describe('syslog parsing', () => {
  test('RFC 5424 with structured data and a BOM', () => {
    expect(parseSyslog('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Appl\\]ication"] \uFEFFAn application event')).toEqual({
      format: 'rfc5424', facility: 20, severity: 5, priorityValid: true,
      timestamp: '2003-10-11T22:14:15.003Z', hostname: 'mymachine.example.com', app: 'evntslog', text: 'An application event',
    });
    expect(parseSyslog('<14>1 - - - - - - plain')).toMatchObject({ hostname: undefined, app: undefined, text: 'plain' });
  });

  test('RFC 3164 (BSD), with and without PID, and what phones really send', () => {
    expect(parseSyslog('<34>Oct 11 22:14:15 mymachine su: \'su root\' failed for lonvick on /dev/pts/8')).toMatchObject({
      format: 'rfc3164', facility: 4, severity: 2, hostname: 'mymachine', app: 'su', text: "'su root' failed for lonvick on /dev/pts/8",
    });
    expect(parseSyslog('<131>Dec  2 07:00:02 805ec0d57d72 sipua[312]: reg failed')).toMatchObject({ app: 'sipua', text: 'reg failed' });
    expect(parseSyslog('<13>free text from a cheap stack')).toMatchObject({ format: 'rfc3164', text: 'free text from a cheap stack' });
  });

  test('a missing or out-of-range PRI is user.notice and the text is kept whole (RFC 3164 §4.3.3)', () => {
    expect(parseSyslog('<192>x')).toMatchObject({ priorityValid: false, facility: 1, severity: 5, text: '<192>x' });
    expect(parseSyslog('<012>x')).toMatchObject({ priorityValid: false, text: '<012>x' });
    expect(parseSyslog('no pri')).toMatchObject({ priorityValid: false, text: 'no pri' });
  });

  test('control characters cannot forge a second line', () => {
    expect(oneLine('a\nfake 127.0.0.1 line\r\x1b[31m\tb')).toBe('a\\nfake 127.0.0.1 line\\x1b[31m b');
  });
});

describe('TCP framing (RFC 6587)', () => {
  const texts = (frames: { bytes: Buffer; truncated: boolean }[]) => frames.map((f) => `${f.bytes.toString()}${f.truncated ? '|cut' : ''}`);

  test('octet counting across chunk boundaries, LF framing, both on one connection', () => {
    const f = new SyslogFramer(100);
    expect(texts(f.push(Buffer.from('12 <13>hel')))).toEqual([]);
    expect(texts(f.push(Buffer.from('lo wo<13>lf one\r\n<13>lf')))).toEqual(['<13>hello wo', '<13>lf one']);
    expect(texts(f.push(Buffer.from(' two\n')))).toEqual(['<13>lf two']);
  });

  test('oversized frames are cut at the cap and the rest skipped, in both framings', () => {
    const f = new SyslogFramer(8);
    expect(texts(f.push(Buffer.from(`20 ${'a'.repeat(20)}<1>ok\n`)))).toEqual(['aaaaaaaa|cut', '<1>ok']);
    expect(texts(f.push(Buffer.from(`<1>${'b'.repeat(30)}\n<1>next\n`)))).toEqual(['<1>bbbbb|cut', '<1>next']);
  });
});

describe('registration failures', () => {
  test('counts REGISTER lines with 401/403/404/408, nothing else', () => {
    expect(registrationFailure('REGISTER sip:zoom.us SIP/2.0 403 Forbidden')).toBe(403);
    expect(registrationFailure('sip: line 1 registration failed, reason:408')).toBe(408);
    expect(registrationFailure('Register account 1 failed: 404 Not Found')).toBe(404);
    expect(registrationFailure('INVITE got 403 Forbidden')).toBeUndefined();
    expect(registrationFailure('registered ok, expires 3600')).toBeUndefined();
    expect(registrationFailure('registration to 10.1.403.5 ok')).toBeUndefined();
    const split = new LogHealth();
    const mac = '001565000009' as Mac;
    split.note(mac, 'SIP/2.0 403 Forbidden', 1000);
    split.note(mac, 'Via: SIP/2.0/UDP 10.0.0.5:5060', 1001);
    split.note(mac, 'CSeq: 2 REGISTER', 1002);
    split.note(mac, 'SIP/2.0 404 Not Found', 2000);
    split.note(mac, 'CSeq: 7 INVITE', 2001);
    split.note(mac, 'CSeq: 8 REGISTER', 9000);
    expect(split.health()[0]!.registrationFailures).toEqual({ 403: 1 });
    const h = new LogHealth(1);
    h.note('001565000001' as Mac, 'REGISTER got SIP/2.0 401 Unauthorized', 5);
    h.note('001565000002' as Mac, 'REGISTER got SIP/2.0 401 Unauthorized', 6);
    expect(h.health()).toEqual([{ mac: '001565000001', messages: 1, lastMessage: 5, registrationFailures: { 401: 1 }, lastFailure: { time: 5, status: 401 } }]);
  });
});

describe('per-device log store', () => {
  test('rotates at the size cap and keeps `rotations` old files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provd-syslog-'));
    const store = new LogStore({ dir, maxFileBytes: 4096, rotations: 2, maxPendingBytes: 1 << 20 });
    for (let i = 0; i < 200; i++) {
      store.append('001565000001', `line ${i} ${'x'.repeat(90)}`);
      if (i % 10 === 0) await store.flush();
    }
    await store.flush();
    const file = join(dir, '001565000001.log');
    expect(statSync(file).size).toBeLessThanOrEqual(4096);
    expect(statSync(`${file}.1`).size).toBeLessThanOrEqual(4096);
    expect(existsSync(`${file}.2`)).toBe(true);
    expect(existsSync(`${file}.3`)).toBe(false);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n').at(-1)).toMatch(/^line 199 /);
  });

  test('a flood beyond the queue cap is dropped and counted, not buffered', () => {
    const dir = mkdtempSync(join(tmpdir(), 'provd-syslog-'));
    const store = new LogStore({ dir, maxFileBytes: 4096, rotations: 0, maxPendingBytes: 1000 });
    let kept = 0;
    for (let i = 0; i < 100; i++) if (store.append('x', 'y'.repeat(99))) kept++;
    expect(kept).toBe(10);
    expect(store.dropped).toBe(90);
  });
});

test('attribution sources are tried in order', () => {
  const a = { macFor: (addr: string) => (addr === '10.0.0.1' ? ('001565000001' as Mac) : undefined) };
  const b = { macFor: () => '001565000002' as Mac };
  const chain = attributionChain([a, b]);
  expect([chain.macFor('10.0.0.1'), chain.macFor('10.0.0.2')]).toEqual(['001565000001', '001565000002']);
});
