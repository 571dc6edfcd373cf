/**
 * The syslog receiver assembled for the daemon: store, attribution by the ledger (and a lease
 * table later), health counters written to `<state>/syslog/health.json` for `provd logs
 * --summary`. serve.ts builds one of these and calls start()/stop().
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { openPeerIndex } from '../ledger/peers.js';
import type { Logger } from '../log/logger.js';
import type { LeaseLookup } from '../core/identify.js';
import { attributionChain, ledgerAttribution, type AddressAttribution } from './attribution.js';
import { LogHealth, type LogHealthSource } from './health.js';
import { SyslogReceiver } from './receiver.js';
import { LogStore, SYSLOG_DIR } from './store.js';
import { ledgerFile } from '../ledger/location.js';

export const HEALTH_FILE = 'health.json';
const DAY_MS = 24 * 60 * 60 * 1000;

export interface SyslogServiceDeps {
  readonly config: Readonly<Config>;
  readonly logger: Logger;
  readonly now: () => number;
  /** The DHCP server's leases, when provd runs one; tried first. */
  readonly leases?: LeaseLookup;
  /** Addresses this daemon's pipeline saw devices at (see ledgerFeedingPeers). */
  readonly recent?: AddressAttribution;
}

export interface SyslogService {
  start(): Promise<number>;
  stop(): Promise<void>;
  /** Per-device message and registration-failure counts (for the admin API). */
  readonly health: LogHealthSource;
  counters(): Record<string, number>;
}

export function createSyslogService(deps: SyslogServiceDeps): SyslogService {
  const { config, logger, now } = deps;
  const dir = join(config.state_dir, SYSLOG_DIR);
  const peers = openPeerIndex(ledgerFile(config.state_dir), now() - config.ledger.retention_days * DAY_MS);
  const attribution = attributionChain([
    ...(deps.leases ? [deps.leases] : []),
    ...(deps.recent ? [deps.recent] : []),
    ledgerAttribution(peers, now),
  ]);
  const store = new LogStore({
    dir,
    maxFileBytes: config.syslog.max_file_bytes,
    rotations: config.syslog.rotations,
    maxPendingBytes: 8 * 1024 * 1024,
  });
  const health = new LogHealth();
  const receiver = new SyslogReceiver({
    bind: config.syslog.bind ?? config.bind,
    port: config.syslog.port,
    tcp: config.syslog.tcp,
    maxMessageBytes: config.syslog.max_message_bytes,
    attribution,
    store,
    health,
    logger,
    now,
  });
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let ticks = 0;
  let reported = '';
  const snapshot = () => {
    // Every 5 minutes, the receiver's counters (truncated, bad_priority...) when they changed.
    if (++ticks % 150 === 0) {
      const text = JSON.stringify(receiver.counters());
      if (text !== reported) logger.info({ protocol: 'syslog', counters: receiver.counters() }, 'syslog counters');
      reported = text;
    }
    if (!health.takeChanged()) return;
    writing = writing.then(() => writeHealth(dir, health, receiver.counters(), now())).catch((err: unknown) => logger.warn({ err }, 'writing syslog health failed'));
  };
  return {
    health,
    counters: () => receiver.counters(),
    async start() {
      await mkdir(dir, { recursive: true, mode: 0o750 });
      const port = await receiver.start();
      timer = setInterval(snapshot, 2000);
      timer.unref();
      return port;
    },
    async stop() {
      clearInterval(timer);
      await receiver.stop();
      logger.info({ protocol: 'syslog', counters: receiver.counters() }, 'syslog counters');
      health.takeChanged();
      await writing;
      await writeHealth(dir, health, receiver.counters(), now()).catch(() => undefined);
      peers.close();
    },
  };
}

/** Atomic write: a reader sees the old file or the new one, never half. */
async function writeHealth(dir: string, health: LogHealthSource, counters: Record<string, number>, time: number): Promise<void> {
  const file = join(dir, HEALTH_FILE);
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify({ time, counters, devices: health.health() })}\n`, { mode: 0o640 });
  await rename(temp, file);
}
