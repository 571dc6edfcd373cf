/**
 * `host[:port]` values (registrar, outbound proxy). Phones want these as separate fields or as one
 * string depending on the vendor, so the resolved value keeps both forms.
 */
import { isIPv6 } from 'node:net';
import type { HostPort } from './types.js';

// Letters, digits, '-' and '_' per label: '_' appears in real SIP host names (SRV-style targets),
// and refusing it would only push admins to work around the check.
const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

function checkPort(text: string, portText: string): number | string {
  if (!/^\d{1,5}$/.test(portText)) return `"${text}" has a bad port "${portText}" (expected 1-65535)`;
  const port = Number(portText);
  if (port < 1 || port > 65535) return `"${text}" has a bad port ${port} (expected 1-65535)`;
  return port;
}

/**
 * Parses `host`, `host:port`, `[v6]` or `[v6]:port`. Returns the HostPort, or a message saying
 * what is wrong. An IPv6 literal keeps its brackets in `host` (as URL.hostname does), so that
 * `host:port` built by a template stays unambiguous.
 */
export function parseHostPort(input: string): HostPort | string {
  const text = input.trim();
  if (text === '') return 'expected host[:port], got an empty value';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^sips?:/i.test(text)) {
    return `"${text}" must be host[:port] without a scheme (e.g. sip.example.com:5061)`;
  }
  if (text.startsWith('[')) {
    const m = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
    if (!m || !isIPv6(m[1] ?? '')) return `"${text}" is not a valid bracketed IPv6 address[:port]`;
    const host = `[${m[1]}]`;
    if (m[2] === undefined) return { host, text };
    const port = checkPort(text, m[2]);
    return typeof port === 'string' ? port : { host, port, text };
  }
  const colons = text.split(':').length - 1;
  if (colons > 1) return `"${text}" looks like an IPv6 address: write it in brackets, e.g. [${text}]:5060`;
  const [host = '', portText] = text.split(':');
  if (host.length > 253 || !host.split('.').every((label) => LABEL.test(label))) {
    return `"${text}" is not a valid host name or address`;
  }
  if (portText === undefined) return { host, text };
  const port = checkPort(text, portText);
  return typeof port === 'string' ? port : { host, port, text };
}
