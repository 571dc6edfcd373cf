/**
 * The DHCP helper as one long-lived part of the daemon: builds the rules, pool and lease file from
 * the `dhcp:` config, loads persisted leases on start(), and closes the socket on stop().
 * The lease table exists from construction so the pipeline can be given it as its LeaseLookup.
 */
import { join } from 'node:path';
import { parseMac, type Mac } from '../core/mac.js';
import type { Logger } from '../log/logger.js';
import type { ServerInfo } from '../render/context.js';
import type { VendorRegistry } from '../vendors/registry.js';
import type { DhcpConfig } from './config.js';
import { LeaseFile, LeaseTable } from './leases.js';
import { parseIpv4 } from './options.js';
import { AddressPool, inSubnetOf, reservationsOf, type Reservations } from './pool.js';
import { DhcpResponder, type DhcpCounters } from './responder.js';

export interface DhcpHelperDeps {
  readonly config: DhcpConfig;
  /** Fallback for `server_address` (the daemon's public host). */
  readonly publicHost: string;
  readonly stateDir: string;
  readonly registry: VendorRegistry;
  readonly inventoryVendor: (mac: Mac) => string | undefined;
  /** The inventory's devices (their `ip` is a reservation), read again after every reload. */
  readonly inventoryDevices: () => ReadonlyMap<Mac, { readonly ip?: string }> | undefined;
  readonly server: () => ServerInfo;
  readonly logger: Logger;
  readonly now: () => number;
}

export const LEASE_FILE = 'dhcp-leases.json';

export class DhcpHelper {
  readonly #deps: DhcpHelperDeps;
  /** Every binding the helper knows; hand it to the resolver as `leases`. */
  readonly leases: LeaseTable;
  #responder: DhcpResponder | undefined;

  constructor(deps: DhcpHelperDeps) {
    this.#deps = deps;
    this.leases = new LeaseTable(deps.now);
  }

  /** Binds the DHCP port; throws when the server address is unusable or the port is taken. */
  async start(): Promise<{ address: string; port: number }> {
    const { config, logger } = this.#deps;
    const serverId = config.server_address || this.#deps.publicHost;
    if (!parseIpv4(serverId)) {
      throw new Error(`dhcp: server_address is not set and the public host '${serverId}' is not an IPv4 address (option 54 needs one)`);
    }
    let leaseFile: LeaseFile | undefined;
    let pool: AddressPool | undefined;
    if (config.mode === 'server' && config.server) {
      if (!inSubnetOf(config.server, serverId)) {
        throw new Error(`dhcp: server address ${serverId} is not in the pool's subnet; set dhcp.server_address to this host's address on the phones' link`);
      }
      leaseFile = new LeaseFile(join(this.#deps.stateDir, LEASE_FILE));
      const fromConfig: [Mac, string][] = [];
      for (const r of config.server.reservations) {
        const mac = parseMac(r.mac);
        if (mac) fromConfig.push([mac, r.ip]);
      }
      const server = config.server;
      pool = new AddressPool(server, this.#reservations(fromConfig, (ip) => inSubnetOf(server, ip)), this.leases, this.#deps.now);
      for (const lease of await leaseFile.load()) {
        // A lease for an address this config no longer serves is forgotten, not handed on.
        if (lease.expires > this.#deps.now() && pool.allowed(lease.mac, lease.ip)) this.leases.set(lease);
      }
    }
    const responder = new DhcpResponder({
      config,
      serverId,
      bind: config.bind ?? '0.0.0.0',
      port: config.port,
      clientPort: config.client_port,
      leases: this.leases,
      leaseFile,
      pool,
      now: this.#deps.now,
      logger,
      rules: {
        registry: this.#deps.registry,
        rules: config.rules,
        auto: config.auto,
        inventoryVendor: this.#deps.inventoryVendor,
        server: this.#deps.server,
        address: serverId,
      },
    });
    const bound = await responder.start();
    this.#responder = responder;
    return bound;
  }

  /** Config reservations, then the inventory's in-subnet addresses; rebuilt when the inventory changes. */
  #reservations(fromConfig: readonly (readonly [Mac, string])[], inSubnet: (ip: string) => boolean): () => Reservations {
    let source: ReadonlyMap<Mac, { readonly ip?: string }> | undefined;
    let cached: Reservations = reservationsOf(fromConfig);
    return () => {
      const devices = this.#deps.inventoryDevices();
      if (devices !== source) {
        source = devices;
        const fromInventory: [Mac, string][] = [];
        // Addresses of other subnets belong to other servers; `provd check` reports them.
        for (const [mac, d] of devices ?? []) if (d.ip !== undefined && inSubnet(d.ip)) fromInventory.push([mac, d.ip]);
        cached = reservationsOf([...fromConfig, ...fromInventory]);
      }
      return cached;
    };
  }

  /** Closes the socket and logs what it saw (answered, silent, dropped by reason). */
  async stop(): Promise<void> {
    const responder = this.#responder;
    this.#responder = undefined;
    if (!responder) return;
    await responder.stop();
    this.#deps.logger.info({ protocol: 'dhcp', counters: responder.counters() }, 'DHCP helper stopped');
  }

  counters(): DhcpCounters {
    return this.#responder?.counters() ?? {};
  }
}
