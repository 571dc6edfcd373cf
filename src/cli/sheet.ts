/**
 * `provd render <mac> sheet [--resolve-ips]`: the settings sheet of a video endpoint that is
 * configured by hand (WeLink seed 001). With `--resolve-ips` proxy host names are looked up now
 * (IPv4, the system resolver) and written as addresses, for endpoints that cannot resolve names;
 * the sheet says which name each address came from, so the admin knows to re-render when it moves.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Mac } from '../core/mac.js';
import { VIDEO_ENDPOINTS } from '../vendors/video-endpoints.js';
import { formatSheet } from '../vendors/video-sheet.js';
import type { CliIo } from './io.js';
import { configOrReport, createEngines, formatInventoryProblem, readInventory, type ConfigArgs } from './setup.js';

/** Resolves each host name to one IPv4 address; a name that does not resolve is an error. */
async function resolveHosts(hosts: readonly string[]): Promise<Map<string, string> | string> {
  const out = new Map<string, string>();
  for (const host of hosts) {
    if (isIP(host.replace(/^\[|\]$/g, '')) !== 0) continue;
    try {
      out.set(host, (await lookup(host, { family: 4 })).address);
    } catch (err) {
      return `${host} does not resolve to an IPv4 address (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
    }
  }
  return out;
}

export async function sheet(args: ConfigArgs & { mac: Mac; resolveIps?: boolean }, io: CliIo): Promise<number> {
  const config = configOrReport(args, io);
  if (!config) return 1;
  const engines = createEngines(config);
  const loaded = await readInventory(config, engines.registry);
  if (!loaded.ok) {
    for (const p of loaded.problems) io.stderr.write(`${formatInventoryProblem(p)}\n`);
    return 1;
  }
  const device = loaded.inventory.devices.get(args.mac);
  if (!device) {
    io.stderr.write(`provd render: no device ${args.mac} in the inventory\n`);
    return 1;
  }
  const vendor = engines.registry.get(device.vendor);
  // The Cisco codecs live in `cisco-telepresence` (or a later `cisco` module): match the prefix.
  const endpoint = VIDEO_ENDPOINTS.find((e) => e.name === device.model && device.vendor.startsWith(e.vendor));
  if (!endpoint) {
    const models = VIDEO_ENDPOINTS.map((v) => v.name).join(', ');
    io.stderr.write(`provd render: device ${args.mac} (${vendor?.displayName ?? device.vendor} ${device.model}) is provisioned by files; a sheet is made for the hand-configured video endpoints (${models})\n`);
    return 1;
  }
  let addresses: Map<string, string> | undefined;
  if (args.resolveIps) {
    const hosts = device.accounts.flatMap((a) => (a.outbound_proxy ? [a.outbound_proxy.host] : []));
    const resolved = await resolveHosts([...new Set(hosts)]);
    if (typeof resolved === 'string') {
      io.stderr.write(`provd render: --resolve-ips: ${resolved}\n`);
      return 1;
    }
    addresses = resolved;
  }
  io.stdout.write(formatSheet(device, endpoint, vendor?.displayName ?? device.vendor, addresses ? { addresses } : {}));
  return 0;
}
