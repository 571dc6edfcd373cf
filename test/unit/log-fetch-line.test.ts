import { describe, expect, it } from 'vitest';
import { createFetchLog, formatFetchLine } from '../../src/log/fetch-log.js';

describe('fetch log line', () => {
  const time = new Date('2026-11-22T10:00:00.000Z');

  it('is one JSON line shaped like the other log lines, with absent fields left out', () => {
    const text = formatFetchLine(
      { protocol: 'http', peer: '10.0.0.5', path: '/805ec0d57d72.cfg', outcome: 'served', bytes: 12, changed: true, ms: 3, md5: 'ab', mac: '805ec0d57d72' },
      time,
    );
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(2);
    expect(JSON.parse(text)).toEqual({
      level: 'info',
      time: '2026-11-22T10:00:00.000Z',
      app: 'provd',
      channel: 'fetch',
      protocol: 'http',
      peer: '10.0.0.5',
      mac: '805ec0d57d72',
      path: '/805ec0d57d72.cfg',
      outcome: 'served',
      bytes: 12,
      md5: 'ab',
      changed: true,
      ms: 3,
      msg: 'fetch',
    });
  });

  it('escapes whatever a client put in the path or User-Agent', () => {
    const nasty = '/a"b\\c\n{"level":"fatal"}\u001b[31m';
    const text = formatFetchLine({ protocol: 'http', peer: '::1', path: nasty, outcome: 'not_found', bytes: 0, changed: null, ms: 0, ua: 'x\r\ny' }, time);
    expect(text.split('\n')).toHaveLength(2);
    const parsed = JSON.parse(text) as { path: string; ua: string; changed: null };
    expect(parsed.path).toBe(nasty);
    expect(parsed.ua).toBe('x\r\ny');
    expect(parsed.changed).toBeNull();
  });

  it('writes nothing when the level is above info', () => {
    const out: string[] = [];
    createFetchLog({ write: (t) => out.push(t) }, false).write({ protocol: 'http', peer: 'p', path: '/', outcome: 'served', bytes: 0, changed: null, ms: 0 });
    createFetchLog({ write: (t) => out.push(t) }, true, () => 0).write({ protocol: 'http', peer: 'p', path: '/', outcome: 'served', bytes: 0, changed: null, ms: 0 });
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('"time":"1970-01-01T00:00:00.000Z"');
  });
});
