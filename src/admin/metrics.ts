/**
 * Prometheus metrics: the per-request families in FetchStats (plain counters on the serving path),
 * the rest with prom-client on a registry of our own (no global default registry, so two daemons
 * in one process - the tests - never share counters). Device states are computed when scraped.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { FetchStats } from './fetch-stats.js';
import type { DeliveryState } from '../ledger/format.js';
import type { LedgerEntry } from '../ledger/types.js';

export class Metrics {
  readonly registry = new Registry();
  readonly #fetches = new FetchStats();
  readonly #resync: Counter<'vendor' | 'result'>;
  readonly #jobs: Counter<'job' | 'result'>;
  readonly #dhcp: Counter<'kind'>;
  readonly #reloadErrors: Counter;
  readonly #reloads: Counter;

  constructor(deviceStates: () => Record<DeliveryState, number>) {
    const registers = [this.registry];
    new Gauge({
      name: 'provd_devices',
      help: 'Inventory devices by delivery state (current, pending, never)',
      labelNames: ['state'],
      registers,
      collect() {
        const counts = deviceStates();
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
    this.#resync = new Counter({ name: 'provd_resync_total', help: 'Resync NOTIFYs by vendor and result (SIP code, timeout, no_address...)', labelNames: ['vendor', 'result'], registers });
    this.#jobs = new Counter({ name: 'provd_job_runs_total', help: 'Scheduled job runs by job and result', labelNames: ['job', 'result'], registers });
    this.#dhcp = new Counter({ name: 'provd_dhcp_answers_total', help: 'DHCP answers by kind (offer, ack, nak)', labelNames: ['kind'], registers });
    this.#reloads = new Counter({ name: 'provd_inventory_reloads_total', help: 'Inventory loads accepted', registers });
    this.#reloadErrors = new Counter({ name: 'provd_inventory_reload_errors_total', help: 'Inventory loads rejected (last good kept)', registers });
  }

  started(protocol: string): void {
    this.#fetches.started(protocol);
  }

  recorded(e: LedgerEntry): void {
    this.#fetches.recorded(e.protocol, e.outcome, e.bytes, e.durationMs);
  }

  resync(vendor: string, result: string): void {
    this.#resync.inc({ vendor, result });
  }

  job(job: string, result: string): void {
    this.#jobs.inc({ job, result });
  }

  /** For the DHCP helper (its own issue) to count its answers. */
  dhcpAnswer(kind: string): void {
    this.#dhcp.inc({ kind });
  }

  inventoryLoad(ok: boolean): void {
    (ok ? this.#reloads : this.#reloadErrors).inc();
  }

  async text(): Promise<string> {
    return this.#fetches.text() + (await this.registry.metrics());
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
