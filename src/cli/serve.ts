/**
 * `provd serve`: the long-running daemon. Binds every listener first (port 0 becomes a real port),
 * renders the inventory with the URLs phones will use, then serves; reloads the inventory on file
 * change and SIGHUP, keeping the last good one when an edit is broken.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
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
import { DiskUploadStore } from '../store/uploads.js';
import { StaticRoot } from '../store/static-files.js';
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
  const ledger = openSqliteLedger({ file: join(config.state_dir, 'ledger.sqlite'), logger: log });
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
  const resolver = new Resolver({
    registry: registry,
    policy,
    snapshot: () => snapshot,
    statics: new StaticRoot(config.root),
    uploads,
    onScannerBlocked: (address) =>
      securityLog.warn({ peer: address, seconds: config.security.scanner.block_seconds }, 'address blocked for guessing device files'),
  });
  const provisioner = new Provisioner({
    resolver,
    registry: registry,
    policy,
    snapshot: () => snapshot,
    uploads,
    ledger,
    fetchLog: loggers.fetchLog,
    securityLog,
    daemonLog: log,
    maxUploadBytes: config.uploads.max_bytes,
    now,
  });

  const servers: { close: () => Promise<void> }[] = [];
  const bound: { http?: number; https?: number } = {};
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

  const ports: BoundPorts = { http: bound.http, https: bound.https };
  const server = serverInfo(publicHost(config), ports);
  const job = { inventory: config.inventory, templates: config.templates, server };
  const first = await loadSnapshotOffThread(job, registry, undefined, now());
  if (!first.ok) {
    for (const p of first.problems) io.stderr.write(`${formatInventoryProblem(p)}\n`);
    for (const undo of opened.reverse()) await undo();
    return undefined;
  }
  for (const w of first.warnings) log.warn({ problem: formatInventoryProblem(w) }, 'inventory warning');
  await writeRuntime(config.state_dir, server, io.pid);
  snapshot = first.snapshot;
  logCatalog(log, snapshot);

  let reloading: Promise<boolean> | undefined;
  const reload = (): Promise<boolean> => {
    // Reloads run one after another, so an older inventory's catalog never replaces a newer one's;
    // the watcher already folds a burst of file events into one call.
    const run = async (): Promise<boolean> => {
      const next = await loadSnapshotOffThread(job, registry, snapshot?.catalog, now());
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
