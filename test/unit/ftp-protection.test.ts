import { describe, expect, it } from 'vitest';
import { Protection } from '../../src/protocols/ftp/protection.js';

/** A control connection after AUTH TLS and PBSZ, ready for PROT. */
function underTls(requireTls: boolean): Protection {
  const p = new Protection(requireTls);
  p.upgraded();
  p.pbsz();
  return p;
}

describe('FTP protection state (RFC 4217)', () => {
  it('refuses PBSZ and PROT before AUTH TLS, and PROT before PBSZ', () => {
    const p = new Protection(false);
    expect(p.pbsz().code).toBe(503);
    expect(p.prot('P').code).toBe(503);
    p.upgraded();
    expect(p.prot('P')).toEqual({ code: 503, text: 'PROT needs PBSZ first.' });
    expect(p.pbsz()).toEqual({ code: 200, text: 'PBSZ=0' });
    expect(p.prot('p').code).toBe(200);
    expect(p.dataPrivate).toBe(true);
  });

  it('lets data go in clear only when TLS is not required', () => {
    expect(new Protection(false).dataAllowed).toBe(true);
    const open = underTls(false);
    expect(open.prot('C').code).toBe(200);
    expect(open.dataPrivate).toBe(false);

    expect(new Protection(true).dataAllowed).toBe(false);
    const strict = underTls(true);
    expect(strict.dataAllowed).toBe(false);
    expect(strict.prot('C').code).toBe(534);
    expect(strict.dataAllowed).toBe(false);
    expect(strict.prot('P').code).toBe(200);
    expect(strict.dataAllowed).toBe(true);
  });

  it('answers 504 to levels other than P and C', () => {
    const p = underTls(false);
    expect(p.prot('S').code).toBe(504);
    expect(p.prot('E').code).toBe(504);
  });
});
