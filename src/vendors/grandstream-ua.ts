/**
 * Grandstream User-Agent parsing. Real samples (vendors.md §1.2, from WZP):
 *
 *   Grandstream Model HW GXP2135 SW 1.0.7.97 DevId 000b828aa872
 *   Grandstream Model HW GXV3350  V1.3A SW 1.0.1.8 DevId c074ad150b88   hardware revision, two blanks
 *   Grandstream GXP2000 (gxp2000e.bin:1.2.5.3/boot55e.bin:1.1.6.9) DevId 000b822726c8   legacy firmware
 *
 * `DevId` is the MAC, lower case without separators.
 */
import { parseMac } from '../core/mac.js';
import type { UserAgentInfo } from './types.js';
import { findGrandstreamModel } from './grandstream-models.js';

const MODERN = /^Grandstream Model HW (\w+)(?:\s+V\S+)?\s+SW (\S+) DevId ([0-9a-fA-F]{12})\b/;
const LEGACY = /^Grandstream (\w+) \((?:[^:)]*):([\d.]+)[^)]*\) DevId ([0-9a-fA-F]{12})\b/;

/** Parses a Grandstream User-Agent; the model is canonical when it is in the table. */
export function parseGrandstreamUserAgent(userAgent: string): UserAgentInfo | undefined {
  const ua = userAgent.trim();
  const m = MODERN.exec(ua) ?? LEGACY.exec(ua);
  if (!m) return undefined;
  const [, model = '', version = '', dev = ''] = m;
  const mac = parseMac(dev);
  return {
    vendor: 'grandstream',
    model: findGrandstreamModel(model)?.name ?? model.toUpperCase(),
    version,
    ...(mac ? { mac } : {}),
  };
}
