import { describe, expect, it } from 'vitest';
import { serialiseDetail } from '../../src/ledger/rows.js';

describe('ledger detail serialisation', () => {
  it('writes flat details as plain JSON, leaving undefined values out', () => {
    expect(serialiseDetail({ method: 'GET', status: 200, range: undefined, head: true, n: null })).toEqual({
      json: '{"method":"GET","status":200,"head":true,"n":null}',
    });
  });

  it('still redacts a credential-looking key in a flat detail, even one without a value', () => {
    expect(serialiseDetail({ method: 'GET', Authorization: 'Basic eA==', token: undefined }).json).toBe(
      '{"method":"GET","Authorization":"[redacted]","token":"[redacted]"}',
    );
  });

  it('redacts inside nested details and turns bigints into text', () => {
    expect(serialiseDetail({ tftp: { blksize: 1468, password: 'x' }, big: 12n }).json).toBe(
      '{"tftp":{"blksize":1468,"password":"[redacted]"},"big":"12"}',
    );
  });
});
