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
import { loadInventoryOffThread } from '../admin/inventory-extras.js';
import type { SqliteLedger } from '../ledger/index.js';
import type { Logger } from '../log/logger.js';
import type { VendorRegistry } from '../vendors/registry.js';
import { SipNotifier } from '../notify/sender.js';
import { pullRemoteInventory } from '../jobs/remote-inventory.js';
import { Scheduler, systemClock } from '../jobs/scheduler.js';
import { windowEnd } from '../jobs/window.js';
import type { RenderProblem } from '../render/catalog.js';
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
  /** Renders every device's files again (off-thread) for the daily render check. */
  readonly renderAll: () => Promise<{ ok: true; files: number; problems: readonly RenderProblem[] } | { ok: false; problems: readonly string[] }>;
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
      const r = await loadInventoryOffThread({ path: d.config.inventory });
      return r.ok ? { ok: true, devices: r.devices } : { ok: false };
    },
    logger: log,
  });
  const resync = new ResyncService({
    snapshot: d.snapshot,
    ledger: d.ledger,
    lastSeen: component.lastSeen,
    device: (mac) => component.inventory.device(mac),
    registry: d.registry,
    notifier: new SipNotifier({ t1Ms: d.config.admin.notify.t1_ms }),
    defaults: {
      ratePerSecond: d.config.admin.notify.rate_per_second,
      sipPort: d.config.admin.notify.port,
      tlsPort: d.config.admin.notify.tls_port,
      transport: d.config.admin.notify.transport,
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
  const jobs = buildJobs(d, component, resync, log);
  component.attach({ resync, jobs });
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
      jobs.start();
      component.markReady();
      log.info({ protocol: 'admin', address: addr.address, port: addr.port }, 'listening');
      const file = join(d.config.state_dir, ADMIN_RUNTIME_FILE);
      const temp = `${file}.tmp`;
      await writeFile(temp, `${JSON.stringify({ address: addr.address, port: addr.port })}\n`, { mode: 0o640 });
      await rename(temp, file);
    },
    async stop() {
      jobs.stop();
      await component.stop();
    },
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The scheduled jobs of issue 7: retention, render check, nightly resync, remote inventory. */
function buildJobs(d: AdminBuildDeps, component: AdminComponent, resync: ResyncService, log: Logger): Scheduler {
  const j = d.config.admin.jobs;
  const scheduler = new Scheduler({
    clock: systemClock,
    timezone: j.timezone,
    logger: log,
    onRun: (name, report) => {
      component.metrics.job(name, report.result);
      component.live.publish({ type: 'job', data: { name, ...report } });
    },
  });
  scheduler.add({
    name: 'retention',
    schedule: j.retention,
    run: async () => {
      const removed = await d.ledger.pruneAsync(d.now() - d.config.ledger.retention_days * DAY_MS);
      return `removed ${removed} records older than ${d.config.ledger.retention_days} days`;
    },
  });
  scheduler.add({
    name: 'render_check',
    schedule: j.render_check,
    run: async () => {
      const r = await d.renderAll();
      if (!r.ok) throw new Error(`the inventory does not load: ${r.problems.slice(0, 5).join('; ')}`);
      if (r.problems.length > 0) {
        throw new Error(`${r.problems.length} of ${r.files} files do not render: ${r.problems.slice(0, 5).map((p) => `${p.name}${p.mac ? ` (${p.mac})` : ''}: ${p.message}`).join('; ')}`);
      }
      return `all ${r.files} files render`;
    },
  });
  const nightly = j.nightly_resync;
  if (nightly.enabled) {
    scheduler.add({
      name: 'nightly_resync',
      schedule: nightly.schedule,
      run: async () => {
        const end = windowEnd(d.now(), j.timezone, nightly.from, nightly.until);
        if (end === undefined) return { skipped: `outside the window ${nightly.from}-${nightly.until} (${j.timezone})` };
        const started = resync.start({ pending: true, origin: 'job:nightly_resync', notAfter: end });
        if (!started.ok) return { skipped: started.problems.join('; ') };
        const run = await resync.finished(started.run.id);
        const fetched = run?.devices.filter((x) => x.status === 'fetched').length ?? 0;
        const summary = `${fetched} of ${started.run.devices.length} pending devices fetched`;
        if (run?.state !== 'done') throw new Error(`${summary}; stopped: ${run?.stopReason ?? 'unknown'}`);
        return summary;
      },
    });
  }
  const remote = j.remote_inventory;
  if (remote.url) {
    const url = remote.url;
    scheduler.add({
      name: 'remote_inventory',
      schedule: remote.schedule,
      run: () =>
        pullRemoteInventory({
          url,
          file: remote.file ?? join(d.config.inventory, 'remote.yaml'),
          inventory: d.config.inventory,
          timeoutMs: remote.timeout_seconds * 1000,
          stateFile: join(d.config.state_dir, 'remote-inventory.json'),
          check: async (path) => {
            const r = await loadInventoryOffThread({ path, summary: true });
            return r.ok ? { ok: true, devices: r.count } : { ok: false, problems: r.problems };
          },
          reload: d.reload,
          fetch,
        }),
    });
  }
  return scheduler;
}
