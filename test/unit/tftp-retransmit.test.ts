import { describe, expect, it } from 'vitest';
import { MIN_RETRANSMISSIONS, retransmitFor } from '../../src/protocols/tftp/retransmit.js';

const configured = { initialMs: 1000, maxMs: 5000, giveUpMs: 20_000 };

describe('retransmitFor', () => {
  it('keeps the configured policy when the client asked for no timeout', () => {
    expect(retransmitFor(configured, undefined)).toBe(configured);
  });

  it('starts at the negotiated timeout and keeps the configured ceiling above it', () => {
    expect(retransmitFor(configured, 2)).toEqual({ initialMs: 2000, maxMs: 5000, giveUpMs: 20_000 });
  });

  it('gives a long negotiated timeout enough time for several retransmissions', () => {
    // curl negotiates 6 s: the configured 20 s would allow only two retransmissions.
    const p = retransmitFor(configured, 6);
    expect(p).toEqual({ initialMs: 6000, maxMs: 6000, giveUpMs: 6000 * (MIN_RETRANSMISSIONS + 1) });
    expect(Math.floor(p.giveUpMs / p.maxMs) - 1).toBeGreaterThanOrEqual(MIN_RETRANSMISSIONS);
  });

  it('never shortens a longer configured deadline', () => {
    expect(retransmitFor({ ...configured, giveUpMs: 120_000 }, 6).giveUpMs).toBe(120_000);
  });
});
