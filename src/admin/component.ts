/**
 * The admin side of the daemon as one long-lived part: built by serve.ts, fed by the pipeline's
 * record hook and the inventory loads, started after the device listeners. Owns the live event
 * hub, metrics, the last-seen index and the admin listener.
 */
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Snapshot } from '../core/resolver.js';
import type { DeviceExtras } from './inventory-extras.js';
import type { AdminConfig } from '../config/admin-schema.js';
import type { JobControl } from '../jobs/types.js';
import type { Ledger, LedgerEntry } from '../ledger/types.js';
import type { ResyncControl } from '../resync/types.js';
import { LastSeenIndex, stateCounts } from './device-view.js';
import { InventoryStatus, type LoadAttempt } from './inventory-status.js';
import { LiveEvents } from './live.js';
import { Metrics } from './metrics.js';
import { AdminServer } from './server.js';
import { ServedArchive } from './served-archive.js';
import { envToken, parseTokens, type TokenEntry } from './tokens.js';

export interface AdminComponentDeps {
  readonly config: AdminConfig;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly snapshot: () => Snapshot | undefined;
  readonly ledger: Pick<Ledger, 'query' | 'lastDelivery'>;
  readonly loadInventory: () => Promise<{ ok: true; devices: ReadonlyMap<string, DeviceExtras> } | { ok: false }>;
  readonly logger: Logger;
}

export class AdminComponent {
  readonly live = new LiveEvents();
  readonly metrics: Metrics;
  readonly lastSeen: LastSeenIndex;
  readonly inventory: InventoryStatus;
  readonly archive = new ServedArchive();
  readonly #d: AdminComponentDeps;
  #server: AdminServer | undefined;
  #resync: ResyncControl | undefined;
  #jobs: JobControl | undefined;
  #ready = false;

  constructor(deps: AdminComponentDeps) {
    this.#d = deps;
    this.lastSeen = new LastSeenIndex(deps.ledger);
    this.inventory = new InventoryStatus({ load: deps.loadInventory });
    this.metrics = new Metrics(() => {
      const s = deps.snapshot();
      return s ? stateCounts(s, deps.ledger).total : { current: 0, pending: 0, never: 0 };
    });
  }

  /** For the Provisioner's onStart. */
  readonly onStart = (protocol: string): void => this.metrics.started(protocol);

  /** For the Provisioner's onRecord: metrics, last seen, live event. */
  readonly onRecord = (entry: LedgerEntry, changed: boolean | null): void => {
    this.metrics.recorded(entry);
    this.lastSeen.note(entry);
    this.live.publish({
      type: 'fetch',
      data: { mac: entry.mac ?? null, file: entry.file ?? null, path: entry.path, outcome: entry.outcome, protocol: entry.protocol, peer: entry.peerAddress, md5: entry.md5 ?? null, changed, time: entry.time },
    });
  };

  /** The daemon reports every inventory load attempt here. */
  inventoryLoaded(a: LoadAttempt, snapshot?: Snapshot): void {
    this.inventory.attempted(a);
    this.metrics.inventoryLoad(a.ok);
    if (snapshot) this.archive.remember(snapshot.catalog);
    this.live.publish({ type: 'inventory', data: { ok: a.ok, at: a.at, devices: a.devices ?? null } });
  }

  /** Resync and jobs are built after the admin (they report through its metrics and events). */
  attach(parts: { resync?: ResyncControl; jobs?: JobControl }): void {
    this.#resync = parts.resync ?? this.#resync;
    this.#jobs = parts.jobs ?? this.#jobs;
  }

  markReady(): void {
    this.#ready = true;
  }

  /** Reads the tokens and binds the listener. Token problems fail the start (a typo must not open the API). */
  async start(): Promise<AddressInfo> {
    const tokens = await this.#tokens();
    if (tokens.length === 0) this.#d.logger.warn({ token_env: this.#d.config.token_env }, 'admin API has no token: every API request is refused');
    const self = this;
    this.#server = new AdminServer({
      tokens,
      live: this.live,
      metrics: this.metrics,
      logger: this.#d.logger,
      ready: () => this.#ready,
      snapshot: this.#d.snapshot,
      ledger: this.#d.ledger,
      inventory: this.inventory,
      lastSeen: this.lastSeen,
      archive: this.archive,
      get resync() {
        return self.#resync;
      },
      get jobs() {
        return self.#jobs;
      },
    });
    return this.#server.listen(this.#d.config.port, this.#d.config.bind);
  }

  async stop(): Promise<void> {
    await this.#server?.close();
  }

  async #tokens(): Promise<TokenEntry[]> {
    const c = this.#d.config;
    const fromEnv = envToken(this.#d.env[c.token_env], c.token_env);
    const fromFile = c.tokens_file ? parseTokens(await readFile(c.tokens_file, 'utf8'), c.tokens_file) : { entries: [], problems: [] };
    const problems = [...fromEnv.problems, ...fromFile.problems];
    if (problems.length > 0) throw new Error(`admin tokens: ${problems.join('; ')}`);
    return [...fromEnv.entries, ...fromFile.entries];
  }
}
