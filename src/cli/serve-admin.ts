/**
 * Composition of the admin side for `provd serve`: the admin listener, metrics, live events, the
 * SIP NOTIFY sender behind resync, and the scheduled jobs. serve.ts calls these four functions;
 * the logic lives in admin/, notify/, resync/ and jobs/.
 */
import { writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { Snapshot } from '../core/resolver.js';
import { AdminComponent } from '../admin/component.js';
import { loadCheckedInventory } from '../inventory/checked.js';
import type { SqliteLedger } from '../ledger/index.js';
import type { Logger } from '../log/logger.js';
import type { VendorRegistry } from '../vendors/registry.js';
import { UdpNotifier } from '../notify/sender.js';
import { ResyncService } from '../resync/service.js';
import type { OffThreadSnapshot } from './off-thread.js';

export interface AdminParts {
  readonly component: AdminComponent;
  readonly resync: ResyncService;
  loaded(result: OffThreadSnapshot, at: number): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface AdminBuildDeps {
  readonly config: Readonly<Config>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly ledger: SqliteLedger;
  readonly registry: VendorRegistry;
  readonly snapshot: () => Snapshot | undefined;
  readonly logger: Logger;
  readonly now: () => number;
  readonly reload: () => Promise<boolean>;
}

/** True when a tokens file is configured or the token variable is set (the admin side then starts). */
export function adminHasTokens(config: Readonly<Config>, env: Readonly<Record<string, string | undefined>>): boolean {
  return config.admin.tokens_file !== undefined || (env[config.admin.token_env] ?? '') !== '';
}

/** The file `provd resync` reads to find the running daemon's admin port. */
export const ADMIN_RUNTIME_FILE = 'admin.json';

export function buildAdmin(d: AdminBuildDeps): AdminParts {
  const log = d.logger.child({ component: 'admin' });
  const component = new AdminComponent({
    config: d.config.admin,
    env: d.env,
    snapshot: d.snapshot,
    ledger: d.ledger,
    loadInventory: async () => {
      const r = await loadCheckedInventory(d.config.inventory, d.registry);
      return r.ok ? { ok: true, inventory: r.inventory } : { ok: false };
    },
    logger: log,
  });
  const resync = new ResyncService({
    snapshot: d.snapshot,
    ledger: d.ledger,
    lastSeen: component.lastSeen,
    device: (mac) => component.inventory.device(mac),
    registry: d.registry,
    notifier: new UdpNotifier({ t1Ms: d.config.admin.notify.t1_ms }),
    defaults: {
      ratePerSecond: d.config.admin.notify.rate_per_second,
      sipPort: d.config.admin.notify.port,
      waveTimeoutMs: d.config.admin.notify.wave_timeout_seconds * 1000,
    },
    now: d.now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    logger: log,
    onResult: (run, dev) => {
      // One count per NOTIFY outcome: the SIP code when the phone answered, else why not.
      if (['sent', 'rejected', 'timeout', 'error', 'no_address'].includes(dev.status)) {
        component.metrics.resync(dev.vendor, dev.sipCode !== undefined ? String(dev.sipCode) : dev.status);
      }
      component.live.publish({ type: 'resync', data: { run: run.id, mac: dev.mac, status: dev.status, sipCode: dev.sipCode ?? null } });
    },
    onRunChange: (run) => component.live.publish({ type: 'resync', data: { run: run.id, state: run.state } }),
  });
  component.attach({ resync });
  return {
    component,
    resync,
    loaded(result, at) {
      if (result.ok) {
        const c = result.snapshot.catalog;
        component.inventoryLoaded(
          { at, ok: true, devices: result.snapshot.devices.size, files: c.size, renderProblems: c.problems, problems: [], warnings: result.warnings },
          result.snapshot,
        );
      } else {
        component.inventoryLoaded({ at, ok: false, problems: result.problems, warnings: [] });
      }
    },
    async start() {
      const addr = await component.start();
      component.markReady();
      log.info({ protocol: 'admin', address: addr.address, port: addr.port }, 'listening');
      const file = join(d.config.state_dir, ADMIN_RUNTIME_FILE);
      const temp = `${file}.tmp`;
      await writeFile(temp, `${JSON.stringify({ address: addr.address, port: addr.port })}\n`, { mode: 0o640 });
      await rename(temp, file);
    },
    async stop() {
      await component.stop();
    },
  };
}
