/** Which devices a resync request names, and in which waves they go. Pure. */
import type { Mac } from '../core/mac.js';
import type { DeviceView } from '../admin/device-view.js';
import type { ResyncRequest } from './types.js';

export function selectDevices(all: readonly DeviceView[], req: ResyncRequest): { ok: true; devices: DeviceView[] } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const byMac = new Map(all.map((v) => [v.mac, v]));
  let chosen: DeviceView[] = all.slice();
  if (req.macs) {
    const named: DeviceView[] = [];
    for (const mac of new Set<Mac>(req.macs)) {
      const v = byMac.get(mac);
      if (v) named.push(v);
      else problems.push(`no device ${mac} in the inventory`);
    }
    chosen = named;
  }
  if (req.site !== undefined) chosen = chosen.filter((v) => v.site === req.site);
  if (req.model !== undefined) chosen = chosen.filter((v) => v.model.toLowerCase() === req.model!.toLowerCase());
  if (req.pending) chosen = chosen.filter((v) => v.state === 'pending');
  if (problems.length > 0) return { ok: false, problems };
  if (chosen.length === 0) return { ok: false, problems: ['no device matches'] };
  return { ok: true, devices: chosen };
}

/**
 * Splits `n` devices into waves of the given sizes (`[1, 5, 25, 100]`: a canary, then 5, then 25,
 * then 100 at a time); the last size repeats until every device has a wave. No sizes: one wave.
 */
export function waveSizes(n: number, sizes: readonly number[] | undefined): number[] {
  if (!sizes || sizes.length === 0) return n > 0 ? [n] : [];
  const out: number[] = [];
  let left = n;
  for (let i = 0; left > 0; i++) {
    const size = Math.min(left, sizes[Math.min(i, sizes.length - 1)]!);
    out.push(size);
    left -= size;
  }
  return out;
}
