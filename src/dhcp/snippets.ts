/**
 * `provd dhcp snippet --for <server>`: the provisioning options as configuration for the site's own
 * DHCP server, with the pitfalls of vendors.md §1.3/§10.1 written as comments. Pure: model in,
 * text out. ISC, Kea and dnsmasq output is syntax-checked by those servers in the tests.
 */
import { colonHex, printable, type SnippetClass, type SnippetModel, type SnippetOption } from './snippet-model.js';

export const SNIPPET_TARGETS = ['isc', 'kea', 'dnsmasq', 'mikrotik', 'windows', 'opnsense'] as const;
export type SnippetTarget = (typeof SNIPPET_TARGETS)[number];

const PITFALLS = [
  'Option 66 is the TFTP server *name* option: it is not `next-server` (siaddr) and not the BOOTP',
  'sname field; the phones below read option 66. Yealink, Grandstream, Polycom, Cisco MPP and Fanvil',
  'accept a full URL (scheme, port, path) in 66; Yealink expands $PN and $MAC in it itself.',
  'Cisco enterprise phones read option 150 (a list of IPv4 TFTP servers) and ignore 66; some firewall',
  'DHCP servers (Palo Alto) offer only 150 for them. Polycom sends a *binary* option 60 (enterprise',
  '13885, 00:00:36:3d), Cisco vendor classes end in a NUL byte: match them as bytes, not as text.',
  'Phones that do not ask for an option (parameter list, option 55) still need it: send it always.',
];

/** The snippet text for `target`. */
export function renderSnippet(target: SnippetTarget, model: SnippetModel): string {
  switch (target) {
    case 'isc':
      return isc(model);
    case 'kea':
      return kea(model);
    case 'dnsmasq':
      return dnsmasq(model);
    case 'mikrotik':
      return mikrotik(model);
    case 'windows':
      return windows(model);
    case 'opnsense':
      return opnsense(model);
  }
}

function header(comment: string, target: string, model: SnippetModel): string[] {
  return [
    `${comment} provd: provisioning options for IP phones (provd dhcp snippet --for ${target}).`,
    `${comment} provd answers on ${model.serverAddress}. Regenerate after changing ports or rules.`,
    comment,
    ...PITFALLS.map((l) => `${comment} ${l}`),
    comment,
  ];
}

const ISC_NAMES: Readonly<Record<number, string>> = { 43: 'vendor-encapsulated-options', 66: 'tftp-server-name', 67: 'bootfile-name' };

function codesOf(model: SnippetModel): Map<number, SnippetOption['kind']> {
  const codes = new Map<number, SnippetOption['kind']>();
  for (const c of model.classes) for (const o of c.options) if (!codes.has(o.code)) codes.set(o.code, o.kind);
  return codes;
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function ipv4Hex(list: string): string {
  return list.split(',').map((ip) => ip.trim().split('.').map((n) => Number(n).toString(16).padStart(2, '0')).join('')).join('');
}

// ---- ISC dhcpd -------------------------------------------------------------------------------

function iscMatch(c: SnippetClass): string[] {
  const out: string[] = [];
  const skipped: string[] = [];
  for (const m of c.matches) {
    const opt = m.option === 60 ? 'option vendor-class-identifier' : 'option user-class';
    const hex = colonHex(m.bytes);
    if (m.at === 'prefix') out.push(`substring(${opt}, 0, ${m.bytes.length}) = ${hex}`);
    else if (m.at === 'suffix') out.push(`suffix(${opt}, ${m.bytes.length}) = ${hex}`);
    else if (m.at === 'exact') out.push(`${opt} = ${hex}`);
    else skipped.push(printable(m.bytes) ?? hex);
  }
  for (const oui of c.ouis) out.push(`substring(hardware, 1, 3) = ${colonHex(oui)}`);
  return [
    ...skipped.map((s) => `  # dhcpd cannot test "contains ${s}"; such phones are matched by MAC prefix.`),
    out.length === 0 ? '  match if false;' : `  match if ${out.join('\n        or ')};`,
  ];
}

function iscValue(o: SnippetOption): string {
  if (o.kind === 'ipv4') return o.value.split(',').map((s) => s.trim()).join(', ');
  if (o.kind === 'hex') return colonHex(o.value.replace(/[^0-9a-f]/gi, ''));
  return quote(o.value);
}

function isc(model: SnippetModel): string {
  const lines = header('#', 'isc', model);
  lines.push('# Custom option codes (skip a line if your dhcpd.conf already declares that code).');
  for (const [code, kind] of codesOf(model)) {
    if (ISC_NAMES[code]) continue;
    const type = kind === 'ipv4' ? 'array of ip-address' : kind === 'hex' ? 'string' : 'text';
    lines.push(`option provd-${code} code ${code} = ${type};`);
  }
  for (const c of model.classes) {
    lines.push('', `# ${c.title}`, `class "${c.name}" {`, ...iscMatch(c));
    for (const o of c.options) lines.push(`  option ${ISC_NAMES[o.code] ?? `provd-${o.code}`} ${iscValue(o)};`);
    const codes = c.options.map((o) => o.code);
    // Append our codes to what the client asked for, so dhcpd sends them unasked (RFC 2132 §9.8).
    if (codes.length > 0) lines.push(`  option dhcp-parameter-request-list = concat(option dhcp-parameter-request-list, ${codes.map((n) => n.toString(16).padStart(2, '0')).join(':')});`);
    lines.push('}');
  }
  return `${lines.join('\n')}\n`;
}

// ---- Kea -------------------------------------------------------------------------------------

/** Kea's own names for the standard options we send; everything else is defined as provd-N. */
const KEA_NAMES: Readonly<Record<number, string>> = { 43: 'vendor-encapsulated-options', 66: 'tftp-server-name', 67: 'boot-file-name' };
/**
 * Codes Kea defines as standard options of another type: 159 is RFC 7618 `v4-portparams` (Cisco MPP
 * reads it as the provisioning server's address in text) and 43 is an encapsulating option (Fanvil
 * reads it as a plain URL string). Neither can be redefined per class, so the bytes go by code as
 * hex, which Kea sends as they are.
 */
const KEA_TAKEN = new Set([43, 159]);

function keaTest(c: SnippetClass): { test: string; skipped: string[] } {
  const parts: string[] = [];
  const skipped: string[] = [];
  for (const m of c.matches) {
    const opt = `option[${m.option}].hex`;
    const hex = `0x${m.bytes.toString('hex')}`;
    if (m.at === 'prefix') parts.push(`substring(${opt},0,${m.bytes.length}) == ${hex}`);
    else if (m.at === 'suffix') parts.push(`substring(${opt},-${m.bytes.length},all) == ${hex}`);
    else if (m.at === 'exact') parts.push(`${opt} == ${hex}`);
    else skipped.push(printable(m.bytes) ?? colonHex(m.bytes));
  }
  for (const oui of c.ouis) parts.push(`substring(pkt4.mac,0,3) == 0x${oui}`);
  return { test: parts.length === 0 ? 'false' : parts.join(' or '), skipped };
}

function kea(model: SnippetModel): string {
  const lines = header('//', 'kea', model);
  lines.push(
    '// Kea validates option data against the option type: a URL is fine in a string option but is',
    '// rejected in an fqdn or ipv4-address one, so 150/159/160 are defined with the types phones read.',
    '// Merge "option-def" and "client-classes" into your Dhcp4 section (checked with Kea 2.2; drop an',
    '// option-def your Kea version reports as a standard option).',
  );
  const defs: object[] = [];
  for (const [code, kind] of codesOf(model)) {
    if (KEA_NAMES[code] || KEA_TAKEN.has(code)) continue;
    defs.push(kind === 'ipv4' ? { name: `provd-${code}`, code, type: 'ipv4-address', array: true } : { name: `provd-${code}`, code, type: kind === 'hex' ? 'binary' : 'string' });
  }
  const classes = model.classes.map((c) => {
    const { test, skipped } = keaTest(c);
    return {
      name: c.name,
      comment: `${c.title}${skipped.length > 0 ? `; Kea cannot test "contains ${skipped.join('", "')}": matched by MAC prefix` : ''}`,
      test,
      'option-data': c.options.map((o) => keaOption(o)),
    };
  });
  const doc = { Dhcp4: { 'option-def': defs, 'client-classes': classes } };
  return `${lines.join('\n')}\n${JSON.stringify(doc, null, 2)}\n`;
}

function keaOption(o: SnippetOption): object {
  if (KEA_TAKEN.has(o.code)) {
    const bytes = o.kind === 'hex' ? o.value.replace(/[^0-9a-f]/gi, '') : Buffer.from(o.value).toString('hex');
    return { code: o.code, space: 'dhcp4', 'csv-format': false, data: bytes, 'always-send': true };
  }
  const base = { name: KEA_NAMES[o.code] ?? `provd-${o.code}` };
  // A comma would split the text into CSV fields; such a value goes as hex bytes instead.
  if (o.kind === 'text' && !o.value.includes(',')) return { ...base, 'csv-format': true, data: o.value, 'always-send': true };
  if (o.kind === 'text') return { ...base, 'csv-format': false, data: Buffer.from(o.value).toString('hex'), 'always-send': true };
  if (o.kind === 'hex') return { ...base, 'csv-format': false, data: o.value.replace(/[^0-9a-f]/gi, ''), 'always-send': true };
  return { ...base, data: o.value, 'always-send': true };
}

// ---- dnsmasq ---------------------------------------------------------------------------------

function dnsmasq(model: SnippetModel): string {
  const lines = header('#', 'dnsmasq', model);
  lines.push(
    '# dnsmasq matches vendor and user classes as substrings of text: binary classes (Polycom) and',
    '# the Cisco trailing NUL cannot be written, so those phones are matched by MAC prefix too.',
    '# Quote numeric-looking strings or dnsmasq encodes them as an address (66,"1.2.3.4").',
  );
  for (const c of model.classes) {
    lines.push('', `# ${c.title}`);
    for (const m of c.matches) {
      const text = printable(m.bytes.subarray(0, m.bytes.length - (m.bytes.at(-1) === 0 ? 1 : 0)));
      if (text && text.length > 0 && !/[,#]/.test(text)) lines.push(`dhcp-${m.option === 60 ? 'vendorclass' : 'userclass'}=set:${c.name},${text}`);
      else lines.push(`# (class bytes ${colonHex(m.bytes)} cannot be matched by dnsmasq)`);
    }
    for (const oui of c.ouis) lines.push(`dhcp-mac=set:${c.name},${colonHex(oui)}:*:*:*`);
    for (const o of c.options) {
      const value = o.kind === 'ipv4' ? o.value : o.kind === 'hex' ? colonHex(o.value.replace(/[^0-9a-f]/gi, '')) : quote(o.value);
      // -force: send it even when the phone did not list it in option 55.
      lines.push(`dhcp-option-force=tag:${c.name},${o.code},${value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

// ---- MikroTik RouterOS 7 ---------------------------------------------------------------------

function mikrotik(model: SnippetModel): string {
  const lines = header('#', 'mikrotik', model);
  lines.push(
    '# RouterOS 7.4+. Matchers test option 60 only; RouterOS has no MAC-prefix matcher, so phones',
    '# that send no known vendor class need static leases with the option set instead. Binary',
    '# classes are written as 0x hex: check that your RouterOS version matches them so.',
    '/ip dhcp-server option',
  );
  for (const c of model.classes) {
    for (const o of c.options) {
      const value = o.kind === 'ipv4' ? `0x${ipv4Hex(o.value)}` : o.kind === 'hex' ? `0x${o.value.replace(/[^0-9a-f]/gi, '')}` : `'${o.value.replace(/'/g, '')}'`;
      lines.push(`add name=${c.name}-${o.code} code=${o.code} value="${value.replace(/\$/g, '\\$')}"`);
    }
  }
  lines.push('/ip dhcp-server option sets');
  for (const c of model.classes) if (c.options.length > 0) lines.push(`add name=${c.name} options=${c.options.map((o) => `${c.name}-${o.code}`).join(',')}`);
  lines.push('/ip dhcp-server matcher');
  for (const c of model.classes) {
    c.matches.forEach((m, i) => {
      if (m.option !== 60 || c.options.length === 0) return;
      const text = printable(m.bytes);
      const value = text ?? `0x${m.bytes.toString('hex')}`;
      const type = m.at === 'exact' ? 'exact' : 'substring';
      lines.push(`add name=${c.name}-${i + 1} server=all code=60 value="${value}" matching-type=${type} option-set=${c.name}`);
    });
  }
  return `${lines.join('\n')}\n`;
}

// ---- Windows Server DHCP (PowerShell) --------------------------------------------------------

function windows(model: SnippetModel): string {
  const lines = header('#', 'windows', model);
  lines.push(
    '# PowerShell on the DHCP server (DhcpServer module). Policies apply server-wide; add',
    '# -ScopeId to Add-DhcpServerv4Policy to limit one to the phones\' scope.',
    '# 66 and 43 are predefined; the other codes are defined once here.',
  );
  for (const [code, kind] of codesOf(model)) {
    if (code === 66 || code === 67 || code === 43) continue;
    const type = kind === 'ipv4' ? 'IPv4Address -MultiValued' : kind === 'hex' ? 'BinaryData' : 'String';
    lines.push(`Add-DhcpServerv4OptionDefinition -OptionId ${code} -Name "provd option ${code}" -Type ${type}`);
  }
  for (const c of model.classes) {
    lines.push('', `# ${c.title}`);
    const conditions: string[] = [];
    // Policy conditions compare a class's text as a prefix (`EQ,"name*"`): binary, suffix and
    // substring matches have no equivalent, so such phones are matched by MAC prefix only.
    const vendorData = c.matches.filter((m) => m.option === 60 && m.at !== 'suffix').map((m) => printable(m.bytes)).filter((t): t is string => !!t);
    vendorData.forEach((data, i) => {
      lines.push(`Add-DhcpServerv4Class -Name "${c.name}-${i + 1}" -Type Vendor -Data "${data}"`);
    });
    if (vendorData.length > 0) conditions.push(`-VendorClass ${vendorData.map((_, i) => `EQ,"${c.name}-${i + 1}*"`).join(',')}`);
    if (c.ouis.length > 0) conditions.push(`-MacAddress ${c.ouis.map((o) => `EQ,${o.toUpperCase()}*`).join(',')}`);
    if (conditions.length === 0 || c.options.length === 0) {
      lines.push('# (no condition Windows DHCP can express for this class; use a reservation per phone)');
      continue;
    }
    lines.push(`Add-DhcpServerv4Policy -Name "${c.name}" -Condition OR ${conditions.join(' ')}`);
    for (const o of c.options) {
      const value = o.kind === 'ipv4' ? o.value.split(',').map((s) => `"${s.trim()}"`).join(',') : o.kind === 'hex' ? `0x${o.value.replace(/[^0-9a-f]/gi, '')}` : `'${o.value}'`;
      lines.push(`Set-DhcpServerv4OptionValue -PolicyName "${c.name}" -OptionId ${o.code} -Value ${value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

// ---- OPNsense --------------------------------------------------------------------------------

function opnsense(model: SnippetModel): string {
  const lines = header('#', 'opnsense', model);
  lines.push(
    '# OPNsense (ISC DHCPv4): Services > ISC DHCPv4 > [phone interface] > Additional Options.',
    '# The GUI sets options per interface, not per vendor: put phones of one vendor on their own',
    '# VLAN, or use `provd dhcp snippet --for dnsmasq` with Dnsmasq DNS & DHCP on OPNsense 25.',
    '# Enter one row per option (Number, Type, Value):',
  );
  for (const c of model.classes) {
    lines.push('', `# ${c.title}${c.ouis.length > 0 ? ` (MAC prefixes ${c.ouis.map((o) => colonHex(o)).join(', ')})` : ''}`);
    for (const o of c.options) {
      const type = o.kind === 'ipv4' ? 'IP address or host' : o.kind === 'hex' ? 'Hex' : 'Text';
      lines.push(`#   Number ${o.code}  Type ${type}  Value ${o.kind === 'text' ? quote(o.value) : o.value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
