/** `provd resync` arguments: MACs, filters, --rate N/s, --wave 1,5,25,100. Pure. */
import { parseMac, type Mac } from '../core/mac.js';

export interface ResyncArgs {
  readonly macs: readonly Mac[];
  readonly pending: boolean;
  readonly site?: string;
  readonly model?: string;
  readonly reboot: boolean;
  readonly rate?: number;
  readonly waves?: readonly number[];
}

export function parseResyncArgs(
  positionals: readonly string[],
  flags: { has(name: string): boolean; str(name: string): string | undefined },
): { ok: true; args: ResyncArgs } | { ok: false; error: string } {
  const macs: Mac[] = [];
  for (const p of positionals) {
    const mac = parseMac(p);
    if (!mac) return { ok: false, error: `not a MAC address: '${p}'` };
    macs.push(mac);
  }
  const site = flags.str('site');
  const model = flags.str('model');
  const pending = flags.has('pending');
  if (site === '' || model === '') return { ok: false, error: '--site and --model need a value' };
  if (macs.length === 0 && !pending && site === undefined && model === undefined) {
    return { ok: false, error: 'name devices: MAC..., --pending, --site S or --model M' };
  }
  const rateText = flags.str('rate');
  let rate: number | undefined;
  if (rateText !== undefined) {
    const m = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(rateText);
    rate = m ? Number(m[1]) : NaN;
    if (!(rate >= 0.1 && rate <= 1000)) return { ok: false, error: `--rate: expected NOTIFYs per second from 0.1 to 1000, e.g. 5/s, got '${rateText}'` };
  }
  const waveText = flags.str('wave');
  let waves: number[] | undefined;
  if (waveText !== undefined) {
    waves = waveText.split(',').map((w) => (/^\d{1,6}$/.test(w.trim()) ? Number(w.trim()) : NaN));
    if (waves.some((w, i) => !(w > 0) || (i > 0 && w <= waves![i - 1]!))) {
      return { ok: false, error: `--wave: expected increasing sizes such as 1,5,25,100, got '${waveText}'` };
    }
  }
  return {
    ok: true,
    args: {
      macs, pending, reboot: flags.has('reboot'),
      ...(site !== undefined && { site }), ...(model !== undefined && { model }),
      ...(rate !== undefined && { rate }), ...(waves && { waves }),
    },
  };
}
