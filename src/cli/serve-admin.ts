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
import type { OffThreadSnapshot } from './off-thread.js';

export interface AdminParts {
  readonly component: AdminComponent;
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
  return {
    component,
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
