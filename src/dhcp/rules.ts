/**
 * Who gets what (issue 6 §2): picks a vendor for a client from the admin's rules, then from the
 * vendor data (inventory entry, known vendor classes, OUI), and builds that vendor's provisioning
 * options. A client that matches nothing gets no options from provd.
 */
import type { Mac } from '../core/mac.js';
import type { ServerInfo } from '../render/context.js';
import type { VendorRegistry } from '../vendors/registry.js';
import type { ProvisioningScheme, VendorModule } from '../vendors/types.js';
import type { ByteMatch, CustomOption, DhcpRule } from './config.js';
import { bytesMatch, hintsFor } from './hints.js';
import { encodeIpv4List, encodeSipServers, encodeText, encodeTlv, encodeTyped, encodeVendorIdentifying, parseHex } from './options.js';
import { Opt, type DhcpMessage } from './packet.js';

export interface RuleContext {
  readonly registry: VendorRegistry;
  readonly rules: readonly DhcpRule[];
  readonly auto: boolean;
  /** The vendor id of an inventory device with this MAC, if any. */
  readonly inventoryVendor: (mac: Mac) => string | undefined;
  /** Where provd is reachable now (bound ports). */
  readonly server: () => ServerInfo;
  /** This server's IPv4 on the phones' link (options 150 and 159). */
  readonly address: string;
}

export interface Answer {
  readonly vendor: string;
  /** How the client was classified, for the log. */
  readonly by: 'rule' | 'inventory' | 'vendor-class' | 'oui';
  readonly rule?: number;
  readonly options: readonly (readonly [number, Buffer])[];
}

/** The bytes a config match value stands for: `hex:..` or the text with `\0` escapes. */
export function matchPattern(value: string): Buffer {
  if (value.startsWith('hex:')) return parseHex(value.slice(4)) ?? Buffer.alloc(0);
  return Buffer.from(value.replace(/\\0/g, '\0'), 'latin1');
}

function optionMatches(msg: DhcpMessage, code: number, m: ByteMatch | undefined): boolean {
  if (!m) return true;
  const got = msg.options.get(code);
  return got !== undefined && bytesMatch(got, matchPattern(m.value), m.at);
}

function ruleMatches(rule: DhcpRule, msg: DhcpMessage, mac: Mac | undefined, ctx: RuleContext): boolean {
  if (!optionMatches(msg, Opt.VENDOR_CLASS, rule.vendor_class)) return false;
  if (!optionMatches(msg, Opt.USER_CLASS, rule.user_class)) return false;
  if (rule.mac_prefixes && !(mac && rule.mac_prefixes.some((p) => mac.startsWith(p)))) return false;
  if (rule.inventory && !(mac && ctx.inventoryVendor(mac) !== undefined)) return false;
  return true;
}

/** Classifies the client; undefined when it should get nothing. */
export function classify(msg: DhcpMessage, mac: Mac | undefined, ctx: RuleContext): { vendor: VendorModule; by: Answer['by']; rule?: DhcpRule; index?: number } | undefined {
  for (const [index, rule] of ctx.rules.entries()) {
    const vendor = ctx.registry.get(rule.vendor);
    if (vendor && ruleMatches(rule, msg, mac, ctx)) return { vendor, by: 'rule', rule, index };
  }
  if (!ctx.auto) return undefined;
  const inventoryId = mac ? ctx.inventoryVendor(mac) : undefined;
  const fromInventory = inventoryId ? ctx.registry.get(inventoryId) : undefined;
  if (fromInventory) return { vendor: fromInventory, by: 'inventory' };
  const vci = msg.options.get(Opt.VENDOR_CLASS);
  if (vci) {
    for (const vendor of ctx.registry.all()) {
      if (hintsFor(vendor.id).vendorClasses.some((h) => bytesMatch(vci, h.bytes, h.at))) return { vendor, by: 'vendor-class' };
    }
  }
  const byOui = mac ? ctx.registry.byMac(mac) : undefined;
  return byOui ? { vendor: byOui, by: 'oui' } : undefined;
}

function provisioningUrl(vendor: VendorModule, server: ServerInfo, scheme: ProvisioningScheme | undefined): string | undefined {
  const schemes = scheme ? [scheme] : hintsFor(vendor.id).schemes;
  for (const s of schemes) {
    const url = vendor.provisioningUrl(server, s);
    if (url) return url;
  }
  return undefined;
}

/** The option body an admin's typed option stands for. */
export function customBytes(o: CustomOption): readonly [number, Buffer] {
  switch (o.type) {
    case 'sip-servers':
      return [o.code, encodeSipServers(o.value)];
    case 'tlv':
      return [o.code, encodeTlv(o.value.map((s) => ({ code: s.code, data: encodeTyped(s) })))];
    case 'vendor-identifying':
      return [o.code, encodeVendorIdentifying([{ enterprise: o.enterprise, subs: o.value.map((s) => ({ code: s.code, data: encodeTyped(s) })) }])];
    default:
      return [o.code, encodeTyped(o)];
  }
}

/** The provisioning options for this client, requested ones first; undefined when it matches nothing. */
export function answerFor(msg: DhcpMessage, mac: Mac | undefined, ctx: RuleContext): Answer | undefined {
  const found = classify(msg, mac, ctx);
  if (!found) return undefined;
  const url = found.rule?.url ?? provisioningUrl(found.vendor, ctx.server(), found.rule?.scheme);
  const options = new Map<number, Buffer>();
  for (const hint of hintsFor(found.vendor.id).options) {
    if (hint.value === 'address-list') options.set(hint.code, encodeIpv4List([ctx.address]));
    else if (hint.value === 'address-text') options.set(hint.code, encodeText(ctx.address));
    else if (url) options.set(hint.code, encodeText(url));
  }
  // The admin's own options win over the hinted ones with the same code.
  for (const o of found.rule?.options ?? []) {
    const [code, bytes] = customBytes(o);
    options.set(code, bytes);
  }
  const requested = new Set(msg.options.get(Opt.PARAMETER_LIST) ?? []);
  const ordered = [...options.entries()].sort(([a], [b]) => Number(!requested.has(a)) - Number(!requested.has(b)));
  return { vendor: found.vendor.id, by: found.by, rule: found.index, options: ordered };
}
