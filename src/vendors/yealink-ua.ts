/**
 * Yealink User-Agent parsing. Real samples (vendors.md §1.2, from WZP and FPBX):
 *
 *   Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37      usual form, MAC with colons
 *   Yealink SIP-T31G 124.85.257.55 80:5e:c0:d5:7d:72  model outside the seed table
 *   Yealink SIP VP-T49G 51.80.0.10 00:15:65:9b:5a:44  video phone: "SIP " then "VP-T49G"
 *   Yealink W52P 25.80.0.15 00:15:65:xx:xx:xx         DECT base, no "SIP-"
 *   Yealink SIP-T56A 58.80.0.25 001565f429a4          T5x may send the MAC without colons
 *   VP530P 23.70.0.40 001565xxxxxx                     legacy: no vendor word
 *   W52P 25.30.0.2 001565xxxxxx                        legacy: no vendor word
 *   Yealink-T46G 28.71.0.81 28.1.0.128.0.0.0           legacy: hardware version, no MAC
 *
 * The MAC in the UA is a hint only: the resolver also reads it from the path.
 */
import { parseMac } from '../core/mac.js';
import type { UserAgentInfo } from './types.js';
import { findYealinkModel } from './yealink-models.js';

// "Yealink", then " " or "-", an optional "SIP-" / "SIP " product prefix, model, version, and an
// optional last field (a MAC, or the hardware version on the oldest firmware).
const WITH_VENDOR = /^yealink[ -](?:SIP[- ])?(\S+)\s+(\d+(?:\.\d+)+)(?:\s+(\S+))?\s*$/i;
// Without the vendor word the string says little, so it must carry a MAC and name a model that is
// Yealink's: one in the seed table, or an old VP/W family name (VP530P, W52P on 25.30 firmware).
const WITHOUT_VENDOR = /^(\S+)\s+(\d+(?:\.\d+)+)\s+(\S+)\s*$/;
const LEGACY_MODEL = /^(?:VP\d{3}P?|W\d{2}P)$/i;

function canonicalModel(raw: string): string {
  return findYealinkModel(raw)?.name ?? raw;
}

/**
 * Parses a Yealink User-Agent. The model is the seed table's canonical name when the phone is in
 * it (`SIP-T46U` gives `T46U`), else the string as sent (`VP-T49G`). Undefined for other vendors.
 */
export function parseYealinkUserAgent(userAgent: string): UserAgentInfo | undefined {
  const ua = userAgent.trim();
  const withVendor = WITH_VENDOR.exec(ua);
  if (withVendor) {
    const [, model = '', version = '', last] = withVendor;
    const mac = last === undefined ? undefined : parseMac(last);
    return { vendor: 'yealink', model: canonicalModel(model), version, ...(mac ? { mac } : {}) };
  }
  const bare = WITHOUT_VENDOR.exec(ua);
  if (bare) {
    const [, model = '', version = '', last = ''] = bare;
    const mac = parseMac(last);
    if (!mac) return undefined;
    if (!findYealinkModel(model) && !LEGACY_MODEL.test(model)) return undefined;
    return { vendor: 'yealink', model: canonicalModel(model), version, mac };
  }
  return undefined;
}
