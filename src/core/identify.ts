/**
 * Which device is asking (design §1 step 1). The path is the strongest hint (phones put their own
 * MAC in the names they ask for); the User-Agent second (most vendors put the MAC there too; see
 * the real samples in each vendor module). A DHCP lease or a known address come with later issues
 * through `LeaseLookup`.
 */
import type { Mac } from './mac.js';
import type { SafePath } from './safe-path.js';
import type { DeviceIdentity } from './types.js';
import type { VendorRegistry } from '../vendors/registry.js';

/** Maps a client address to the MAC a DHCP lease (or the ledger) ties it to. */
export interface LeaseLookup {
  macFor(address: string): Mac | undefined;
}

export interface IdentifyInput {
  readonly path: SafePath;
  readonly userAgent?: string;
  readonly peerAddress: string;
}

/** The MAC a request name carries in some vendor's pattern. */
export function macInPath(registry: VendorRegistry, basename: string): Mac | undefined {
  for (const vendor of registry.all()) {
    const mac = vendor.macInName(basename);
    if (mac) return mac;
  }
  return undefined;
}

export function identify(registry: VendorRegistry, input: IdentifyInput, leases?: LeaseLookup): DeviceIdentity {
  const pathMac = macInPath(registry, input.path.basename);
  const ua = input.userAgent ? registry.parseUserAgent(input.userAgent) : undefined;
  const leaseMac = leases?.macFor(input.peerAddress);
  const uaPart = {
    ...(leaseMac && { leaseMac }),
    uaMac: ua?.mac,
    uaVendor: ua?.vendor,
    uaModel: ua?.model,
    uaVersion: ua?.version,
  };
  if (pathMac) return { mac: pathMac, by: 'path', ...uaPart };
  if (ua?.mac) return { mac: ua.mac, by: 'user-agent', ...uaPart };
  if (leaseMac) return { mac: leaseMac, by: 'lease', ...uaPart };
  return uaPart;
}
