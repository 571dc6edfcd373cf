/**
 * Building blocks every subcommand shares: config with its problems printed, the vendor registry
 * and template engine, an inventory snapshot with its rendered catalog. `serve`, `check`,
 * `render` and `status` all go through these, so `render` prints exactly what `serve` serves.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { ConfigOverrides } from '../config/overrides.js';
import { formatProblem } from '../config/problems.js';
import type { Config } from '../config/schema.js';
import type { Mac } from '../core/mac.js';
import type { Credential, FolderAuth, InventoryFolder } from '../core/policy.js';
import type { Snapshot } from '../core/resolver.js';
import { activationFolders } from '../inventory/activation.js';
import { loadCheckedInventory } from '../inventory/checked.js';
import type { LoadResult } from '../inventory/loaded.js';
import type { DeviceSummary, Inventory, InventoryProblem } from '../inventory/types.js';
import { buildCatalog, type Catalog } from '../render/catalog.js';
import type { ServerInfo } from '../render/context.js';
import { createTemplateEngine, type TemplateEngine } from '../render/engine.js';
import { createVendorRegistry } from '../vendors/index.js';
import type { VendorRegistry } from '../vendors/registry.js';
import type { CliIo } from './io.js';

export interface ConfigArgs {
  readonly configFile?: string;
  readonly overrides: ConfigOverrides;
}

/** Loads the config or prints every problem (file:line:column) and returns undefined. */
export function configOrReport(args: ConfigArgs, io: CliIo): Readonly<Config> | undefined {
  const loaded = loadConfig({ file: args.configFile, env: io.env, flags: args.overrides, defaultFile: io.defaultConfig, cwd: io.cwd });
  if (loaded.ok) return loaded.config;
  for (const p of loaded.problems) io.stderr.write(`${formatProblem(p)}\n`);
  return undefined;
}

import { formatProblem as formatInventoryProblem } from '../inventory/loaded.js';
export { formatInventoryProblem };

export interface Engines {
  readonly registry: VendorRegistry;
  readonly engine: TemplateEngine;
}

export function createEngines(config: Readonly<Config>): Engines {
  return {
    registry: createVendorRegistry(),
    engine: createTemplateEngine({ shipped: config.templates.shipped, override: config.templates.override }),
  };
}

/** The ports phones reach provd on; `serve` passes the bound ones (port 0 becomes real). */
export interface BoundPorts {
  readonly http?: number;
  readonly https?: number;
  readonly tftp?: number;
  readonly ftp?: number;
}

export function configuredPorts(config: Readonly<Config>): BoundPorts {
  return {
    http: config.http.enabled ? config.http.port : undefined,
    https: config.https.cert && config.https.key ? config.https.port : undefined,
    tftp: config.tftp.enabled ? config.tftp.port : undefined,
    ftp: config.ftp.enabled ? config.ftp.port : undefined,
  };
}

/**
 * The host written into generated files: the configured public host, else the bind address when
 * it is a specific one, else this machine's first non-loopback IPv4 (what phones on the LAN see).
 */
export function publicHost(config: Readonly<Config>): string {
  if (config.public_host) return config.public_host;
  if (config.bind && config.bind !== '0.0.0.0' && config.bind !== '::') return config.bind;
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

function url(scheme: string, host: string, port: number | undefined, standard: number): string | null {
  if (port === undefined) return null;
  const h = host.includes(':') ? `[${host}]` : host;
  return port === standard ? `${scheme}://${h}` : `${scheme}://${h}:${port}`;
}

export function serverInfo(host: string, ports: BoundPorts): ServerInfo {
  const http = url('http', host, ports.http, 80);
  const https = url('https', host, ports.https, 443);
  return {
    host,
    http_url: http,
    https_url: https,
    tftp_url: url('tftp', host, ports.tftp, 69),
    ftp_url: url('ftp', host, ports.ftp, 21),
    provisioning_url: https ?? http ?? `http://${host}`,
  };
}

const RUNTIME_FILE = 'runtime.json';

/**
 * The daemon writes the URLs it rendered with (its bound ports) into the state folder, so that
 * `render` and `status` compute exactly the bytes it serves even when it was started on port 0 or
 * with port overrides.
 */
export async function writeRuntime(stateDir: string, server: ServerInfo, pid: number): Promise<void> {
  const file = join(stateDir, RUNTIME_FILE);
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify({ pid, server }, null, 2)}\n`, { mode: 0o640 });
  await rename(temp, file);
}

/** The server URLs of the last daemon on this state folder, else the configured ones. */
export function serverForCli(config: Readonly<Config>): ServerInfo {
  try {
    const saved = JSON.parse(readFileSync(join(config.state_dir, RUNTIME_FILE), 'utf8')) as { server?: ServerInfo };
    if (saved.server && typeof saved.server.provisioning_url === 'string') return saved.server;
  } catch {
    // No daemon has run on this state folder yet.
  }
  return serverInfo(publicHost(config), configuredPorts(config));
}

/** Folder credentials with `password_env` looked up; a missing variable is a problem. */
export function folderAuth(config: Readonly<Config>, env: CliIo['env']): { folders: FolderAuth[]; problems: string[] } {
  const problems: string[] = [];
  const folders = config.security.auth.folders.map((f) => ({
    folder: f.path.split('/').filter((s) => s !== '' && s !== '.'),
    realm: f.realm ?? config.security.auth.realm,
    users: f.users.flatMap((u): Credential[] => {
      const password = u.password ?? (u.password_env ? env[u.password_env] : undefined);
      if (password === undefined || password === '') {
        problems.push(`security.auth.folders[${f.path}]: environment variable ${u.password_env} for user ${u.user} is not set`);
        return [];
      }
      return [{ user: u.user, password }];
    }),
  }));
  return { folders, problems };
}


/** Loads and checks the inventory in this thread (CLI commands; the daemon loads off-thread). */
export async function readInventory(config: Readonly<Config>, registry: VendorRegistry): Promise<LoadResult> {
  return loadCheckedInventory(config.inventory, registry);
}


/** Renders a loaded inventory into the snapshot the resolver serves from (in this thread). */
export async function makeSnapshot(
  inventory: Inventory,
  engines: Engines,
  server: ServerInfo,
  now: number,
  previous?: Catalog,
): Promise<Snapshot> {
  const catalog = await buildCatalog({ inventory, registry: engines.registry, engine: engines.engine, server, previous, now });
  return snapshotOf(inventory.devices, catalog, engines.registry, activationFolders(inventory.activation));
}

/** The snapshot around a set of devices and their rendered catalog. */
export function snapshotOf(
  devices: ReadonlyMap<Mac, DeviceSummary>,
  catalog: Catalog,
  registry: VendorRegistry,
  folders: readonly InventoryFolder[] = [],
): Snapshot {
  const pnFolders = new Set<string>();
  for (const vendor of registry.all()) for (const f of vendor.pnFolders()) pnFolders.add(f.toLowerCase());
  for (const d of devices.values()) pnFolders.add(d.pn.toLowerCase());
  return {
    devices,
    catalog,
    pnFolders,
    deviceAuth: (mac: Mac) => devices.get(mac)?.auth,
    folders,
  };
}

/**
 * For `render` and `status`: config, inventory and the catalog as the running daemon rendered it
 * (its bound URLs, see `serverForCli`). Problems go to stderr; undefined means exit 1.
 */
export async function cliSnapshot(
  args: ConfigArgs,
  io: CliIo,
  command: string,
  mac?: Mac,
): Promise<{ config: Readonly<Config>; engines: Engines; snapshot: Snapshot } | undefined> {
  const config = configOrReport(args, io);
  if (!config) return undefined;
  const engines = createEngines(config);
  const loaded = await readInventory(config, engines.registry);
  if (!loaded.ok) {
    for (const p of loaded.problems) io.stderr.write(`${formatInventoryProblem(p)}\n`);
    return undefined;
  }
  if (mac && !loaded.inventory.devices.has(mac)) {
    io.stderr.write(`provd ${command}: no device ${mac} in the inventory\n`);
    return undefined;
  }
  const snapshot = await makeSnapshot(loaded.inventory, engines, serverForCli(config), Date.now());
  return { config, engines, snapshot };
}
