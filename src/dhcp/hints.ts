/**
 * What each vendor reads from DHCP and in which encoding (vendors.md §1.3, §2.5, §3.2, §4.2, §5,
 * §10.1). Keyed by vendor id so vendor modules stay free of DHCP detail; a vendor missing here
 * gets the default (option 66 with an HTTP URL), which every vendor in vendors.md reads.
 */
import type { ProvisioningScheme } from '../vendors/types.js';

/** One provisioning option and what goes in it. */
export type HintOption =
  /** The provisioning URL as text (66, 160, custom string options). */
  | { readonly code: number; readonly value: 'url' }
  /** This server's address as text (Cisco MPP 159). */
  | { readonly code: number; readonly value: 'address-text' }
  /** This server's address as an IPv4 list (Cisco 150). */
  | { readonly code: number; readonly value: 'address-list' }
  /** The URL as the whole option 43 body (the raw-string convention; Fanvil per WZP). */
  | { readonly code: 43; readonly value: 'url-string-43' };

/** A vendor-class pattern the vendor's devices are known to send (matched as bytes). */
export interface VendorClassHint {
  readonly bytes: Buffer;
  readonly at: 'prefix' | 'suffix' | 'contains';
}

export interface DhcpHints {
  /** Schemes in order of preference; the first one provd serves is used. */
  readonly schemes: readonly ProvisioningScheme[];
  readonly options: readonly HintOption[];
  readonly vendorClasses: readonly VendorClassHint[];
}

const text = (s: string, at: VendorClassHint['at']): VendorClassHint => ({ bytes: Buffer.from(s, 'latin1'), at });

const DEFAULT_HINTS: DhcpHints = { schemes: ['http', 'https', 'tftp'], options: [{ code: 66, value: 'url' }], vendorClasses: [] };

const HINTS: Readonly<Record<string, DhcpHints>> = {
  // Yealink: custom > 66 > 43; 43's byte format is unknown, so 66 only (§2.5). TFTP first as the
  // seeds do; `$PN` stays in the URL for the phone to expand.
  yealink: { schemes: ['tftp', 'http', 'https'], options: [{ code: 66, value: 'url' }], vendorClasses: [text('yealink', 'contains')] },
  // Grandstream: 66 (full URL allowed) plus the "additional" 160 chosen by P8337 (§3.2).
  grandstream: { schemes: ['http', 'https', 'tftp'], options: [{ code: 66, value: 'url' }, { code: 160, value: 'url' }], vendorClasses: [] },
  // Polycom: 66 or custom 160 as text URL; option 60 is binary, enterprise 13885 (§4.2).
  polycom: {
    schemes: ['http', 'https', 'tftp'],
    options: [{ code: 66, value: 'url' }, { code: 160, value: 'url' }],
    vendorClasses: [{ bytes: Buffer.from([0x00, 0x00, 0x36, 0x3d]), at: 'prefix' }],
  },
  // Cisco MPP reads 66,160,159,150 in that order; its vendor class ends in `-3PCC` (NUL-terminated
  // on some firmware) (§1.3, §5). Checked before the other Cisco families, whose classes overlap.
  'cisco-mpp': {
    schemes: ['http', 'https', 'tftp'],
    options: [{ code: 66, value: 'url' }, { code: 160, value: 'url' }, { code: 159, value: 'address-text' }, { code: 150, value: 'address-list' }],
    vendorClasses: [text('-3PCC\0', 'suffix'), text('-3PCC', 'suffix')],
  },
  // Cisco SPA / Linksys: option 66 (`Cisco SPA504G`, `LINKSYS SPA-942`, `CISCO SPA112`) (§1.3).
  'cisco-spa': {
    schemes: ['http', 'https', 'tftp'],
    options: [{ code: 66, value: 'url' }],
    vendorClasses: [text('SPA', 'contains'), text('LINKSYS', 'prefix')],
  },
  // Cisco enterprise firmware: 150, a list of TFTP server addresses, then 66 (§1.3, §5.2); the
  // class is `Cisco Systems, Inc. IP Phone CP-7941G\0` or `Cisco Systems Inc. Wireless Phone`.
  'cisco-enterprise': {
    schemes: ['tftp'],
    options: [{ code: 150, value: 'address-list' }, { code: 66, value: 'url' }],
    vendorClasses: [text('Cisco Systems', 'prefix')],
  },
  // Fanvil: 66 and option 43 as the plain URL string (WZP) (§10.1).
  fanvil: { schemes: ['http', 'https', 'tftp'], options: [{ code: 66, value: 'url' }, { code: 43, value: 'url-string-43' }], vendorClasses: [] },
  snom: { schemes: ['http', 'https', 'tftp'], options: [{ code: 66, value: 'url' }], vendorClasses: [text('snom', 'prefix')] },
  htek: { schemes: ['http', 'https', 'tftp'], options: [{ code: 66, value: 'url' }], vendorClasses: [] },
};

/** The DHCP conventions of vendor `id`; the default ones for a vendor not listed. */
export function hintsFor(id: string): DhcpHints {
  return HINTS[id] ?? DEFAULT_HINTS;
}

/** True when `bytes` holds `pattern` at the given place. */
export function bytesMatch(bytes: Buffer, pattern: Buffer, at: 'prefix' | 'suffix' | 'contains' | 'exact'): boolean {
  switch (at) {
    case 'exact':
      return bytes.equals(pattern);
    case 'prefix':
      return bytes.length >= pattern.length && bytes.subarray(0, pattern.length).equals(pattern);
    case 'suffix':
      return bytes.length >= pattern.length && bytes.subarray(bytes.length - pattern.length).equals(pattern);
    case 'contains':
      return bytes.indexOf(pattern) !== -1;
  }
}
