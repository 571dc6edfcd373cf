/**
 * What `provd check` says about the DHCP helper beyond the config schema: inventory addresses
 * (device `ip`) that server mode cannot reserve, each with the device's file and line.
 */
import type { Mac } from '../core/mac.js';
import type { SourceRef } from '../inventory/types.js';
import type { DhcpConfig } from './config.js';
import { inSubnetOf } from './pool.js';
import { parseMac } from '../core/mac.js';

export interface AddressProblem {
  readonly source: SourceRef;
  readonly message: string;
}

/** Problems with the inventory's fixed addresses; none unless the helper runs in server mode. */
export function inventoryAddressProblems(
  config: DhcpConfig,
  devices: Iterable<{ readonly mac: Mac; readonly ip?: string; readonly source: SourceRef }>,
): AddressProblem[] {
  const server = config.server;
  if (!config.enabled || config.mode !== 'server' || !server) return [];
  const out: AddressProblem[] = [];
  const claimed = new Map<string, string>();
  for (const r of server.reservations) claimed.set(r.ip, `the reservation for ${parseMac(r.mac) ?? r.mac} in the config`);
  for (const d of devices) {
    if (d.ip === undefined) continue;
    if (!inSubnetOf(server, d.ip)) {
      out.push({ source: d.source, message: `device ${d.mac}: ip ${d.ip} is outside the DHCP subnet of ${server.pool_start}/${server.subnet_mask}` });
      continue;
    }
    const other = claimed.get(d.ip);
    if (other) out.push({ source: d.source, message: `device ${d.mac}: ip ${d.ip} is also claimed by ${other}` });
    else claimed.set(d.ip, `device ${d.mac} (${d.source.file}:${d.source.line})`);
  }
  return out;
}
