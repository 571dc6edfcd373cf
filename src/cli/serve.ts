/**
 * `provd serve`: the long-running daemon. Binds every listener first (port 0 becomes a real port),
 * renders the inventory with the URLs phones will use, then serves; reloads the inventory on file
 * change and SIGHUP, keeping the last good one when an edit is broken.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { Config } from '../config/schema.js';
import { AccessPolicy } from '../core/policy.js';
import { Provisioner } from '../core/provisioner.js';
import { Resolver, type Snapshot } from '../core/resolver.js';
import { ScannerGuard } from '../core/scanner-guard.js';
import { InventoryWatcher } from '../inventory/watch.js';
import { createVendorRegistry } from '../vendors/index.js';
import { openSqliteLedger } from '../ledger/index.js';
import { CHANNELS, createLoggers, type Logger, type Loggers } from '../log/logger.js';
import { createHttpServer } from '../protocols/http/server.js';
import { PnpResponder } from '../pnp/responder.js';
import { createSyslogService } from '../syslog/service.js';
import { ledgerFeedingPeers, RecentPeers } from '../syslog/recent-peers.js';
import { DhcpHelper } from '../dhcp/helper.js';
import { ftpServerFromConfig } from '../protocols/ftp/from-config.js';
import { TreeView } from '../core/tree.js';
import { startTftp } from '../protocols/tftp/start.js';
import { DiskUploadStore } from '../store/uploads.js';
import { StaticRoot } from '../store/static-files.js';
import { adminHasTokens, buildAdmin, type AdminParts } from './serve-admin.js';
import type { CliIo } from './io.js';
import { loadSnapshotOffThread } from './off-thread.js';
import {
  configOrReport,
  folderAuth,
  formatInventoryProblem,
  publicHost,
  serverInfo,
  type BoundPorts,
  writeRuntime,
  type ConfigArgs,
} from './setup.js';
import { ledgerFile } from '../ledger/location.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A running daemon; `stop()` closes listeners (letting transfers finish), the ledger and logs. */
export interface RunningDaemon {
  readonly stop: () => Promise<void>;
  readonly reload: () => Promise<boolean>;
}

export async function serve(args: ConfigArgs, io: CliIo): Promise<RunningDaemon | undefined> {
  const config = configOrReport(args, io);
  if (!config) return undefined;
  const loggers = createLoggers({ level: config.log.level, async: true });
  const logger = loggers.logger;
  const log = daemonChannel(logger);
  // What start() opened so far, undone in reverse if it fails half-way: a daemon that could not
  // start must not keep a port bound and answer 500s.
  const opened: (() => Promise<void> | void)[] = [];
  try {
    return await start(config, io, loggers, opened);
  } catch (err) {
    log.fatal({ err }, 'start-up failed');
    for (const undo of opened.reverse()) await Promise.resolve(undo()).catch(() => undefined);
    loggers.flushSync();
    io.stderr.write(`provd: start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return undefined;
  }
}

async function start(
  config: Readonly<Config>,
  io: CliIo,
  loggers: Loggers,
  opened: (() => Promise<void> | void)[],
): Promise<RunningDaemon | undefined> {
  const logger = loggers.logger;
  const log = daemonChannel(logger);
  const registry = createVendorRegistry();
  const auth = folderAuth(config, io.env);
  if (auth.problems.length > 0) {
    for (const p of auth.problems) io.stderr.write(`${p}\n`);
    return undefined;
  }
  await mkdir(config.state_dir, { recursive: true });
  const ledger = openSqliteLedger({ file: ledgerFile(config.state_dir), logger: log });
  opened.push(() => ledger.close());
  const now = () => Date.now();
  const scanner = new ScannerGuard({
    unknownMacs: config.security.scanner.unknown_macs,
    windowMs: config.security.scanner.window_seconds * 1000,
    blockMs: config.security.scanner.block_seconds * 1000,
    now,
  });
  const policy = new AccessPolicy({
    allowedNetworks: config.security.allowed_networks,
    secretMode: config.security.secret_files,
    realm: config.security.auth.realm,
    folders: auth.folders,
    scanner,
  });
  const securityLog = logger.child({ channel: CHANNELS.security });
  let snapshot: Snapshot | undefined;
  const uploads = new DiskUploadStore(config.state_dir);
  // DHCP helper (issue 6): built now so its leases identify devices; started once URLs are known.
  let dhcpServer: ReturnType<typeof serverInfo> | undefined;
  const dhcp = config.dhcp.enabled
    ? new DhcpHelper({
        config: config.dhcp,
        publicHost: publicHost(config),
        stateDir: config.state_dir,
        registry,
        inventoryVendor: (mac) => snapshot?.devices.get(mac)?.vendor,
        inventoryDevices: () => snapshot?.devices,
        server: () => dhcpServer!,
        logger: logger.child({ channel: CHANNELS.daemon }),
        now,
      })
    : undefined;
  const statics = new StaticRoot(config.root);
  const resolver = new Resolver({
    leases: dhcp?.leases,
    registry: registry,
    policy,
    snapshot: () => snapshot,
    statics,
    uploads,
    onScannerBlocked: (address) =>
      securityLog.warn({ peer: address, seconds: config.security.scanner.block_seconds }, 'address blocked for guessing device files'),
  });
  // With the syslog receiver on, the pipeline's records also tell it where each device is.
  const recentPeers = config.syslog.enabled ? new RecentPeers() : undefined;
  // Admin API, metrics, resync and jobs (issue 7): built before the pipeline, which reports to it.
  const admin: AdminParts | undefined = config.admin.enabled && adminHasTokens(config, io.env)
    ? buildAdmin({
      config, env: io.env, ledger, registry, snapshot: () => snapshot, logger: log, now,
      reload: () => reload(),
      renderAll: async () => {
        const r = await loadSnapshotOffThread(job, registry, undefined, now());
        return r.ok ? { ok: true, files: r.snapshot.catalog.size, problems: r.snapshot.catalog.problems } : { ok: false, problems: r.problems.map(formatInventoryProblem) };
      },
    })
    : undefined;
  const provisioner = new Provisioner({
    resolver,
    registry: registry,
    policy,
    snapshot: () => snapshot,
    uploads,
    ledger: recentPeers ? ledgerFeedingPeers(ledger, recentPeers) : ledger,
    fetchLog: loggers.fetchLog,
    securityLog,
    daemonLog: log,
    maxUploadBytes: config.uploads.max_bytes,
    now,
    ...(admin && { onRecord: admin.component.onRecord, onStart: admin.component.onStart }),
  });

  const servers: { close: () => Promise<void> }[] = [];
  const bound: { http?: number; https?: number; tftp?: number; ftp?: number } = {};
  if (config.http.enabled) {
    const http = createHttpServer({ pipeline: provisioner, logger: log, keepAliveSeconds: config.http.keep_alive_seconds });
    const addr = await http.listen(config.http.port, config.http.bind ?? config.bind);
    servers.push(http);
    opened.push(() => http.close());
    bound.http = addr.port;
    log.info({ protocol: 'http', address: addr.address, port: addr.port }, 'listening');
  }
  if (config.https.cert && config.https.key) {
    const tls = { cert: readFileSync(config.https.cert), key: readFileSync(config.https.key) };
    const https = createHttpServer({ pipeline: provisioner, logger: log, keepAliveSeconds: config.http.keep_alive_seconds, tls });
    const addr = await https.listen(config.https.port, config.https.bind ?? config.bind);
    servers.push(https);
    opened.push(() => https.close());
    bound.https = addr.port;
    log.info({ protocol: 'https', address: addr.address, port: addr.port }, 'listening');
  }

  if (config.tftp.enabled) {
    const tftp = await startTftp(config, provisioner, log);
    servers.push(tftp.server);
    opened.push(() => tftp.server.close());
    bound.tftp = tftp.port;
  }

  if (config.ftp.enabled) {
    const tls = config.https.cert && config.https.key ? { cert: readFileSync(config.https.cert), key: readFileSync(config.https.key) } : undefined;
    const tree = new TreeView({ policy, resolver, snapshot: () => snapshot, statics });
    const built = ftpServerFromConfig(config, { pipeline: provisioner, tree, logger: log, securityLog, tls, now });
    if ('problems' in built) throw new Error(built.problems.join('; '));
    const addr = await built.server.listen(config.ftp.port, config.ftp.bind ?? config.bind);
    servers.push(built.server);
    opened.push(() => built.server.close());
    bound.ftp = addr.port;
    log.info({ protocol: 'ftp', address: addr.address, port: addr.port, tls: tls !== undefined }, 'listening');
  }

  // Syslog binds before rendering: templates point phones at the port it really got.
  // `syslog.health` is what the admin API reads for per-device registration failures.
  const syslog = config.syslog.enabled ? createSyslogService({ config, logger: log, now, recent: recentPeers, ...(dhcp ? { leases: dhcp.leases } : {}) }) : undefined;
  let syslogPort: number | undefined;
  if (syslog) {
    syslogPort = await syslog.start();
    servers.push({ close: () => syslog.stop() });
    opened.push(() => syslog.stop());
    log.info({ protocol: 'syslog', port: syslogPort, tcp: config.syslog.tcp }, 'listening');
  }

  const ports: BoundPorts = { http: bound.http, https: bound.https, tftp: bound.tftp, ...(bound.ftp !== undefined ? { ftp: bound.ftp } : {}) };
  const host = publicHost(config);
  const server = {
    ...serverInfo(host, ports),
    syslog: syslogPort === undefined ? null : { host, port: config.syslog.public_port ?? syslogPort, transport: config.syslog.tcp ? ('tcp' as const) : ('udp' as const) },
  };
  const job = { inventory: config.inventory, templates: config.templates, server };
  const first = await loadSnapshotOffThread(job, registry, undefined, now());
  admin?.loaded(first, now());
  if (!first.ok) {
    for (const p of first.problems) io.stderr.write(`${formatInventoryProblem(p)}\n`);
    for (const undo of opened.reverse()) await undo();
    return undefined;
  }
  for (const w of first.warnings) log.warn({ problem: formatInventoryProblem(w) }, 'inventory warning');
  if (dhcp) {
    dhcpServer = server;
    const addr = await dhcp.start();
    servers.push({ close: () => dhcp.stop() });
    opened.push(() => dhcp.stop());
    log.info({ protocol: 'dhcp', mode: config.dhcp.mode, address: addr.address, port: addr.port }, 'listening');
  }
  await writeRuntime(config.state_dir, server, io.pid);
  snapshot = first.snapshot;
  logCatalog(log, snapshot);

  if (config.pnp.enabled && config.pnp.interface) {
    const pnp = new PnpResponder({
      interfaceAddress: config.pnp.interface,
      port: config.pnp.port,
      scheme: config.pnp.scheme,
      registry,
      devices: () => snapshot?.devices,
      server: () => server,
      recorder: provisioner,
      logger: log,
      perAddressPerMinute: config.pnp.per_address_per_minute,
      totalPerMinute: config.pnp.total_per_minute,
      maxExchanges: config.pnp.max_exchanges,
      now,
    });
    const pnpPort = await pnp.start();
    servers.push({ close: () => pnp.stop() });
    opened.push(() => pnp.stop());
    log.info({ protocol: 'pnp', address: config.pnp.interface, group: '224.0.1.75', port: pnpPort }, 'listening');
  }

  let reloading: Promise<boolean> | undefined;
  const reload = (): Promise<boolean> => {
    // Reloads run one after another, so an older inventory's catalog never replaces a newer one's;
    // the watcher already folds a burst of file events into one call.
    const run = async (): Promise<boolean> => {
      const next = await loadSnapshotOffThread(job, registry, snapshot?.catalog, now());
      admin?.loaded(next, now());
      if (!next.ok) {
        log.error({ problems: next.problems.map(formatInventoryProblem) }, 'inventory reload rejected; still serving the last good inventory');
        return false;
      }
      snapshot = next.snapshot;
      logCatalog(log, snapshot, 'inventory reloaded');
      return true;
    };
    const chained = (reloading ?? Promise.resolve(true)).then(run, run);
    reloading = chained;
    return chained;
  };
  const watcher = new InventoryWatcher({ path: config.inventory, reload: () => void reload() });
  watcher.start();
  opened.push(() => watcher.stop());

  // Pruning runs in small batches between requests, so a large backlog never stalls transfers.
  let pruning: Promise<void> | undefined;
  const prune = () => {
    pruning ??= ledger
      .pruneAsync(now() - config.ledger.retention_days * DAY_MS)
      .then((removed) => {
        if (removed > 0) log.info({ removed }, 'ledger pruned');
      })
      .catch((err: unknown) => log.error({ err }, 'ledger prune failed'))
      .finally(() => {
        pruning = undefined;
      });
  };
  prune();
  const pruneTimer = setInterval(prune, DAY_MS);
  pruneTimer.unref();
  opened.push(() => clearInterval(pruneTimer));

  if (admin) {
    await admin.start();
    opened.push(() => admin.stop());
  }

  const mem = io.memoryUsage();
  log.info(
    {
      server,
      devices: snapshot.devices.size,
      state_dir: config.state_dir,
      memory_mb: { rss: mb(mem.rss), heap_used: mb(mem.heapUsed), heap_total: mb(mem.heapTotal), external: mb(mem.external) },
    },
    'ready',
  );
  // Scripts and supervisors wait for this line: it must not sit in the log buffer.
  loggers.flushSync();

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      log.info('stopping');
      watcher.stop();
      clearInterval(pruneTimer);
      await admin?.stop();
      await Promise.all(servers.map((s) => s.close()));
      await pruning;
      ledger.close();
      log.info('stopped');
      loggers.flushSync();
    })();
    return stopping;
  };
  return { stop, reload };
}

function logCatalog(log: Logger, snapshot: Snapshot, msg = 'inventory loaded'): void {
  for (const p of snapshot.catalog.problems) log.error({ file: p.name, mac: p.mac, problem: p.message }, 'file not rendered');
  log.info({ devices: snapshot.devices.size, files: snapshot.catalog.size, render_problems: snapshot.catalog.problems.length }, msg);
}

/**
 * The daemon channel logs at least at `info` whatever the configured level: its few life-cycle
 * lines (`listening` with each bound port, `ready`) are what scripts read to find the daemon.
 */
function daemonChannel(logger: Logger): Logger {
  const quieter = logger.levelVal > logger.levels.values.info!;
  return logger.child({ channel: CHANNELS.daemon }, quieter ? { level: 'info' } : {});
}

function mb(bytes: number): number {
  return Math.round(bytes / 1e5) / 10;
}
