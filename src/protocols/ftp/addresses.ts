/**
 * PORT (RFC 959 §4.1.2: h1,h2,h3,h4,p1,p2) and EPRT (RFC 2428 §2: |af|address|port|) arguments.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { plainAddress } from '../../core/net.js';

export type ActiveTarget =
  | { readonly ok: true; readonly host: string; readonly port: number }
  | { readonly ok: false; readonly code: number; readonly text: string };

const bad: ActiveTarget = { ok: false, code: 501, text: 'Syntax error in address.' };

export function parsePort(arg: string): ActiveTarget {
  const parts = arg.trim().split(',');
  if (parts.length !== 6 || !parts.every((p) => /^\d{1,3}$/.test(p))) return bad;
  const n = parts.map(Number);
  if (n.some((x) => x > 255)) return bad;
  return { ok: true, host: n.slice(0, 4).join('.'), port: (n[4] ?? 0) * 256 + (n[5] ?? 0) };
}

export function parseEprt(arg: string): ActiveTarget {
  const s = arg.trim();
  const d = s.charAt(0);
  // The delimiter is any printable ASCII character outside 33-126 digits; '|' in practice.
  if (d === '' || /[0-9A-Za-z]/.test(d)) return bad;
  const parts = s.split(d);
  if (parts.length !== 5 || parts[0] !== '' || parts[4] !== '') return bad;
  const [, af, host = '', portText = ''] = parts;
  if (af !== '1' && af !== '2') return { ok: false, code: 522, text: 'Network protocol not supported, use (1,2)' };
  if ((af === '1' && !isIPv4(host)) || (af === '2' && !isIPv6(host))) return bad;
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535 || Number(portText) === 0) return bad;
  return { ok: true, host: plainAddress(host), port: Number(portText) };
}
