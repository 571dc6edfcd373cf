/**
 * What `provd dhcp snippet` tells another DHCP server to hand out: per vendor, how to recognise
 * its phones (vendor-class patterns, OUIs) and which options to send with which value, built from
 * the same registry, hints and rules that provd's own helper answers with.
 */
import type { ServerInfo } from '../render/context.js';
import type { VendorRegistry } from '../vendors/registry.js';
import type { DhcpConfig } from './config.js';
import { hintsFor } from './hints.js';
import { customBytes, matchPattern } from './rules.js';

/** One option as a site's server has to be told: text or an IPv4 list. */
export interface SnippetOption {
  readonly code: number;
  readonly kind: 'text' | 'ipv4' | 'hex';
  readonly value: string;
}

export interface SnippetMatch {
  readonly option: 60 | 77;
  readonly bytes: Buffer;
  readonly at: 'prefix' | 'suffix' | 'contains' | 'exact';
}

export interface SnippetClass {
  /** `provd-yealink`, `provd-rule-2`: a name every server accepts. */
  readonly name: string;
  readonly title: string;
  /** Any of these makes a client a member. */
  readonly matches: readonly SnippetMatch[];
  /** 6 lower-case hex digits each. */
  readonly ouis: readonly string[];
  readonly options: readonly SnippetOption[];
}

export interface SnippetModel {
  readonly serverAddress: string;
  readonly classes: readonly SnippetClass[];
}

/** The classes for every rule, then (with `auto`) for every vendor in the registry. */
export function snippetModel(config: DhcpConfig, registry: VendorRegistry, server: ServerInfo, serverAddress: string): SnippetModel {
  const classes: SnippetClass[] = [];
  const optionsFor = (vendorId: string, url: string | undefined, scheme?: string): SnippetOption[] => {
    const vendor = registry.get(vendorId);
    const hints = hintsFor(vendorId);
    const schemes = scheme ? [scheme as (typeof hints.schemes)[number]] : hints.schemes;
    const built = url ?? schemes.map((s) => vendor?.provisioningUrl(server, s)).find((u) => u !== undefined);
    const out: SnippetOption[] = [];
    for (const h of hints.options) {
      if (h.value === 'address-list') out.push({ code: h.code, kind: 'ipv4', value: serverAddress });
      else if (h.value === 'address-text') out.push({ code: h.code, kind: 'text', value: serverAddress });
      else if (built) out.push({ code: h.code, kind: 'text', value: built });
    }
    return out;
  };
  config.rules.forEach((rule, i) => {
    const matches: SnippetMatch[] = [];
    if (rule.vendor_class) matches.push({ option: 60, bytes: matchPattern(rule.vendor_class.value), at: rule.vendor_class.at });
    if (rule.user_class) matches.push({ option: 77, bytes: matchPattern(rule.user_class.value), at: rule.user_class.at });
    const options = new Map(optionsFor(rule.vendor, rule.url, rule.scheme).map((o) => [o.code, o]));
    for (const o of rule.options) {
      if (o.type === 'string') options.set(o.code, { code: o.code, kind: 'text', value: o.value });
      else if (o.type === 'ipv4') options.set(o.code, { code: o.code, kind: 'ipv4', value: o.value.join(',') });
      // Structured options (120, TLVs, 125) go to every server as the bytes provd would send.
      else options.set(o.code, { code: o.code, kind: 'hex', value: customBytes(o)[1].toString('hex') });
    }
    classes.push({
      name: `provd-rule-${i + 1}`,
      title: `rule ${i + 1} (${rule.vendor})`,
      matches,
      ouis: rule.mac_prefixes?.filter((p) => p.length === 6) ?? [],
      options: [...options.values()],
    });
  });
  if (config.auto) {
    for (const vendor of registry.all()) {
      const hints = hintsFor(vendor.id);
      // A vendor with neither a class nor an OUI (endpoints configured by hand) cannot be matched.
      if (hints.vendorClasses.length === 0 && vendor.ouis.length === 0) continue;
      classes.push({
        name: `provd-${vendor.id}`,
        title: vendor.displayName,
        matches: hints.vendorClasses.map((h) => ({ option: 60 as const, bytes: h.bytes, at: h.at })),
        ouis: vendor.ouis,
        options: optionsFor(vendor.id, undefined),
      });
    }
  }
  return { serverAddress, classes };
}

/** Bytes as printable text when they are, for servers that only take strings. */
export function printable(bytes: Buffer): string | undefined {
  return /^[\x20-\x7e]*$/.test(bytes.toString('latin1')) ? bytes.toString('latin1') : undefined;
}

export function colonHex(bytes: Buffer | string): string {
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'hex') : bytes;
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}
