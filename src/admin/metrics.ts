/**
 * Prometheus metrics (prom-client, on a registry of our own: no global default registry, so two
 * daemons in one process - the tests - never share counters). Fetch counters move from the
 * pipeline's record hook; device states are computed when scraped.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DeliveryState } from '../ledger/format.js';
import type { LedgerEntry } from '../ledger/types.js';

export class Metrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'protocol' | 'outcome'>;
  readonly #bytes: Counter<'protocol' | 'outcome'>;
  readonly #duration: Histogram<'protocol'>;
  readonly #active: Gauge<'protocol'>;
  readonly #resync: Counter<'vendor' | 'result'>;
  readonly #jobs: Counter<'job' | 'result'>;
  readonly #dhcp: Counter<'kind'>;
  readonly #reloadErrors: Counter;
  readonly #reloads: Counter;

  constructor(deviceStates: () => Record<DeliveryState, number>) {
    const registers = [this.registry];
    this.#requests = new Counter({ name: 'provd_requests_total', help: 'Requests by protocol and outcome', labelNames: ['protocol', 'outcome'], registers });
    this.#bytes = new Counter({ name: 'provd_bytes_total', help: 'Bytes sent or stored by protocol and outcome', labelNames: ['protocol', 'outcome'], registers });
    this.#duration = new Histogram({
      name: 'provd_transfer_duration_seconds',
      help: 'Time from request to the last byte, by protocol',
      labelNames: ['protocol'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    });
    this.#active = new Gauge({ name: 'provd_active_transfers', help: 'Requests being resolved or transferred', labelNames: ['protocol'], registers });
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
    this.#active.inc({ protocol });
  }

  recorded(e: LedgerEntry): void {
    const labels = { protocol: e.protocol, outcome: e.outcome };
    this.#requests.inc(labels);
    if (e.bytes > 0) this.#bytes.inc(labels, e.bytes);
    this.#duration.observe({ protocol: e.protocol }, e.durationMs / 1000);
    this.#active.dec({ protocol: e.protocol });
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

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
