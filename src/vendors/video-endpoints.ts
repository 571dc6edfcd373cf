/**
 * The SIP video endpoints of the Huawei WeLink seed (001, table "互通测试版本信息"): configured by
 * hand in their web UI, so provd prints a settings sheet for them instead of serving files, and
 * `check` warns when the inventory's firmware is below the version the seed was tested with
 * (older versions break content sharing, per the seed's FAQ). Kept apart from the phone modules
 * so the Cisco phone module and this table do not collide; the Polycom module lists the Polycom
 * rows as models, cisco-telepresence.ts the Cisco ones.
 */
import type { ResolvedDevice } from '../inventory/types.js';

export type VideoFamily = 'polycom-hdx' | 'polycom-group' | 'cisco-sx';

export interface VideoEndpoint {
  readonly vendor: 'polycom' | 'cisco';
  /** Canonical model name used in the inventory (`HDX7000`, `GROUP550`, `SX20`). */
  readonly name: string;
  readonly aliases: readonly string[];
  readonly family: VideoFamily;
  /** The seed's minimum, as the seed writes it. */
  readonly minFirmware: string;
}

export const VIDEO_ENDPOINTS: readonly VideoEndpoint[] = [
  { vendor: 'cisco', name: 'SX10', aliases: ['TelePresence SX10', 'SX 10'], family: 'cisco-sx', minFirmware: 'CE8.2.1' },
  { vendor: 'cisco', name: 'SX20', aliases: ['TelePresence SX20', 'SX 20'], family: 'cisco-sx', minFirmware: 'CE9.4.0' },
  { vendor: 'cisco', name: 'SX80', aliases: ['TelePresence SX80', 'SX 80'], family: 'cisco-sx', minFirmware: 'TC7.3.6' },
  { vendor: 'polycom', name: 'GROUP550', aliases: ['Group 550', 'RealPresence Group 550', 'Group550'], family: 'polycom-group', minFirmware: '6.2.0-440582' },
  { vendor: 'polycom', name: 'HDX4500', aliases: ['HDX 4500'], family: 'polycom-hdx', minFirmware: '3.1.7' },
  { vendor: 'polycom', name: 'HDX6000', aliases: ['HDX 6000'], family: 'polycom-hdx', minFirmware: '3.1.7' },
  { vendor: 'polycom', name: 'HDX7000', aliases: ['HDX 7000'], family: 'polycom-hdx', minFirmware: '3.1.7' },
  { vendor: 'polycom', name: 'HDX8000', aliases: ['HDX 8000'], family: 'polycom-hdx', minFirmware: '3.1.7' },
];

/** The video endpoint of this vendor and canonical model, if it is one. */
export function findVideoEndpoint(vendor: string, model: string): VideoEndpoint | undefined {
  return VIDEO_ENDPOINTS.find((v) => v.vendor === vendor && v.name === model);
}

/**
 * A firmware string as a comparable key. Cisco writes `TC7.3.6` or `ce 8.2.1 Final e9daf06`;
 * CE followed TC, so CE of any version is newer than any TC (a bare version of 8 and up is taken
 * as CE). Polycom writes `3.1.7` or `Release - 6.2.0-440582`; every number counts.
 */
export function firmwareKey(family: VideoFamily, text: string): number[] | undefined {
  const m = /(?:^|[^a-z])(tc|ce)?\s*(\d+(?:[.-]\d+)*)/i.exec(text.trim());
  if (!m?.[2]) return undefined;
  const nums = m[2].split(/[.-]/).map(Number);
  if (family !== 'cisco-sx') return nums;
  const line = m[1]?.toLowerCase() ?? ((nums[0] ?? 0) >= 8 ? 'ce' : 'tc');
  return [line === 'ce' ? 1 : 0, ...nums];
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * A warning when `firmware` is below the seed's minimum for this endpoint, or cannot be read;
 * undefined when it is at or above it.
 */
export function firmwareWarning(endpoint: VideoEndpoint, firmware: string): string | undefined {
  const have = firmwareKey(endpoint.family, firmware);
  const need = firmwareKey(endpoint.family, endpoint.minFirmware);
  if (!have || !need) return `firmware "${firmware}" is not a version provd can compare with ${endpoint.minFirmware}`;
  if (compare(have, need) >= 0) return undefined;
  return `firmware ${firmware} is below ${endpoint.minFirmware}, the oldest the WeLink guide supports for the ${endpoint.name} (content sharing may fail)`;
}

/**
 * Warnings `check` prints for a video endpoint: firmware below the seed's minimum (inventory
 * `vars.firmware`), and a WeLink account not on TLS (the platform refuses UDP, seed 001).
 */
export function videoEndpointWarnings(vendor: VideoEndpoint['vendor'], device: ResolvedDevice): readonly string[] {
  const endpoint = findVideoEndpoint(vendor, device.model);
  if (!endpoint) return [];
  const out: string[] = [];
  const firmware = device.vars['firmware'];
  if (typeof firmware === 'string') {
    const warning = firmwareWarning(endpoint, firmware);
    if (warning) out.push(warning);
  }
  for (const a of device.accounts) {
    if (/(?:^|\.)huaweicloud\.com$/i.test(a.registrar.host) && a.transport !== 'tls') {
      out.push(`account line ${a.line} registers to WeLink over ${a.transport}; WeLink accepts TLS only`);
    }
  }
  return out;
}
