/** /metrics scraped over HTTP: counters move after real fetches (curl), device states follow. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, eventually } from './daemon-harness.js';
import { startAdminDaemon, type AdminDaemon } from './admin-harness.js';

const MAC = '805ec0d57d72';
const UA = 'Yealink SIP-T46U 108.86.0.20 80:5e:c0:d5:7d:72';

/** The value of one sample line, 0 when the series does not exist yet. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('metrics', () => {
  let d: AdminDaemon;
  beforeAll(async () => {
    d = await startAdminDaemon();
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('counts requests, bytes, durations and device states', async () => {
    const scrape = async () => {
      const r = await d.api('/metrics');
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/plain');
      return r.text();
    };
    const before = await scrape();
    expect(before).toContain('# TYPE provd_requests_total counter');
    expect(before).toContain('# TYPE provd_transfer_duration_seconds histogram');
    expect(before).toContain('# TYPE provd_dhcp_answers_total counter');
    expect(sample(before, 'provd_inventory_reloads_total')).toBe(1);
    const neverBefore = sample(before, 'provd_devices{state="never"}');
    expect(neverBefore).toBeGreaterThanOrEqual(3);

    const cfg = await curl(['-A', UA, `${d.base}/${MAC}.cfg`]);
    expect(cfg.status).toBe(200);
    await curl(['-A', UA, `${d.base}/${MAC}.boot`]);
    await curl(['-A', UA, `${d.base}/y000000000108.cfg`]);
    await curl([`${d.base}/aabbccddeeff.cfg`]);

    const after = await eventually(async () => {
      const t = await scrape();
      return sample(t, 'provd_devices{state="current"}') >= 1 ? t : undefined;
    });
    expect(sample(after, 'provd_requests_total{protocol="http",outcome="served"}') - sample(before, 'provd_requests_total{protocol="http",outcome="served"}')).toBe(3);
    expect(sample(after, 'provd_requests_total{protocol="http",outcome="not_found"}')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'provd_bytes_total{protocol="http",outcome="served"}')).toBeGreaterThanOrEqual(cfg.body.length);
    expect(sample(after, 'provd_transfer_duration_seconds_count{protocol="http"}')).toBeGreaterThanOrEqual(4);
    expect(sample(after, 'provd_active_transfers{protocol="http"}')).toBe(0);
    expect(sample(after, 'provd_devices{state="never"}')).toBe(neverBefore - 1);
  });
});
