/**
 * Runs resyncs: picks the devices, sends each its vendor's NOTIFY at a fixed rate, in waves; each
 * wave waits until the ledger shows its phones fetched since their NOTIFY before the next starts.
 * A wave whose phones do not all fetch within the timeout stops the run and names them: a mass
 * resync that is not working must not go on to thousands of phones (and lock SIP accounts).
 */
import type { Logger } from 'pino';
import type { Mac } from '../core/mac.js';
import type { Snapshot } from '../core/resolver.js';
import type { DeviceExtras } from '../admin/inventory-extras.js';
import type { Ledger } from '../ledger/types.js';
import type { Notifier, NotifyResult } from '../notify/sender.js';
import type { VendorRegistry } from '../vendors/registry.js';
import { allDevices, type DeviceView, type LastSeenIndex } from '../admin/device-view.js';
import { selectDevices, waveSizes } from './select.js';
import type { DeviceResult, ResyncControl, ResyncRequest, ResyncRun, WaveReport } from './types.js';

export interface ResyncDeps {
  readonly snapshot: () => Snapshot | undefined;
  readonly ledger: Pick<Ledger, 'lastDelivery' | 'query'>;
  readonly lastSeen: LastSeenIndex;
  /** The device's lines (credentials, transport) and `sip_port`, from the full inventory. */
  readonly device: (mac: Mac) => Promise<DeviceExtras | undefined>;
  readonly registry: VendorRegistry;
  readonly notifier: Notifier;
  readonly defaults: {
    readonly ratePerSecond: number;
    readonly sipPort: number;
    readonly tlsPort: number;
    readonly waveTimeoutMs: number;
    /** `line`: NOTIFY over the line's transport when it is tcp or tls; `udp`: always UDP. */
    readonly transport: 'udp' | 'line';
  };
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly logger: Logger;
  /** Told about every per-device result and run state change (metrics, live events). */
  readonly onResult?: (run: ResyncRun, device: DeviceResult) => void;
  readonly onRunChange?: (run: ResyncRun) => void;
}

const KEEP_RUNS = 50;
const POLL_MS = 250;

export class ResyncService implements ResyncControl {
  readonly #d: ResyncDeps;
  readonly #runs: ResyncRun[] = [];
  readonly #done = new Map<string, Promise<ResyncRun>>();
  #seq = 0;

  constructor(deps: ResyncDeps) {
    this.#d = deps;
  }

  start(req: ResyncRequest): { ok: true; run: ResyncRun } | { ok: false; problems: string[] } {
    const snapshot = this.#d.snapshot();
    if (!snapshot) return { ok: false, problems: ['inventory not loaded yet'] };
    const picked = selectDevices(allDevices(snapshot, this.#d.ledger, this.#d.lastSeen), req);
    if (!picked.ok) return picked;
    // A phone already waiting in a running resync is left to it: two NOTIFYs in a row only make
    // it fetch twice (and count twice against platforms that lock chatty accounts).
    const busy = new Map<Mac, string>();
    for (const r of this.#runs) {
      if (r.state !== 'running') continue;
      for (const x of r.devices) if (x.status === 'queued' || x.status === 'sent') busy.set(x.mac, r.id);
    }
    const free = picked.devices.filter((v) => !busy.has(v.mac));
    if (free.length === 0) {
      return { ok: false, problems: [...new Set(picked.devices.map((v) => busy.get(v.mac)))].map((id) => `already being resynced by run ${id}`) };
    }
    picked.devices.splice(0, picked.devices.length, ...free);
    const sizes = waveSizes(picked.devices.length, req.waves);
    const devices: DeviceResult[] = [];
    let i = 0;
    sizes.forEach((size, w) => {
      for (const v of picked.devices.slice(i, i + size)) devices.push({ mac: v.mac, vendor: v.vendor, wave: w + 1, status: 'queued' });
      i += size;
    });
    const run: ResyncRun = {
      id: `${this.#d.now().toString(36)}-${++this.#seq}`,
      origin: req.origin ?? 'api',
      startedAt: this.#d.now(),
      finishedAt: null,
      state: 'running',
      reboot: req.reboot === true,
      ratePerSecond: req.ratePerSecond ?? this.#d.defaults.ratePerSecond,
      waves: sizes.map((size, w) => ({ index: w + 1, size, state: 'waiting', missing: [] })),
      devices,
    };
    this.#runs.push(run);
    if (this.#runs.length > KEEP_RUNS) this.#runs.shift();
    const views = new Map(picked.devices.map((v) => [v.mac, v]));
    const done = this.#execute(run, views, req.notAfter).catch((err: unknown) => {
      this.#d.logger.error({ err, run: run.id }, 'resync run failed');
      this.#finish(run, 'stopped', err instanceof Error ? err.message : String(err));
      return run;
    });
    this.#done.set(run.id, done);
    return { ok: true, run };
  }

  get(id: string): ResyncRun | undefined {
    return this.#runs.find((r) => r.id === id);
  }

  list(): readonly ResyncRun[] {
    return [...this.#runs].reverse();
  }

  /** Resolves when the run ends (tests and the nightly job wait on it). */
  finished(id: string): Promise<ResyncRun> | undefined {
    return this.#done.get(id);
  }

  async #execute(run: ResyncRun, views: ReadonlyMap<Mac, DeviceView>, notAfter: number | undefined): Promise<ResyncRun> {
    const gapMs = 1000 / run.ratePerSecond;
    let nextSendAt = this.#d.now();
    this.#d.logger.info({ run: run.id, origin: run.origin, devices: run.devices.length, waves: run.waves.length, reboot: run.reboot }, 'resync started');
    for (const wave of run.waves) {
      const members = run.devices.filter((x) => x.wave === wave.index);
      wave.state = 'sending';
      this.#d.onRunChange?.(run);
      for (const dev of members) {
        if (notAfter !== undefined && this.#d.now() >= notAfter) {
          return this.#skipRest(run, 'the resync window closed');
        }
        const wait = nextSendAt - this.#d.now();
        if (wait > 0) await this.#d.sleep(wait);
        nextSendAt = Math.max(nextSendAt, this.#d.now()) + gapMs;
        // The NOTIFY goes out in the background: the rate paces sends, not answers.
        await this.#notifyOne(run, dev, views.get(dev.mac)!, true);
      }
      await Promise.all(members.map((m) => this.#pendingSends.get(m)));
      wave.state = 'awaiting_fetch';
      this.#d.onRunChange?.(run);
      const missing = await this.#awaitFetches(run, members);
      wave.missing = missing;
      if (missing.length > 0 || members.some((m) => m.status !== 'fetched')) {
        wave.state = 'stopped';
        const failed = members.filter((m) => m.status !== 'fetched').map((m) => `${m.mac} (${m.status})`);
        return this.#skipRest(run, `wave ${wave.index}: ${failed.length} of ${members.length} phones did not fetch: ${failed.join(', ')}`);
      }
      wave.state = 'done';
    }
    return this.#finish(run, 'done');
  }

  readonly #pendingSends = new Map<DeviceResult, Promise<void>>();

  async #notifyOne(run: ResyncRun, dev: DeviceResult, view: DeviceView, background: boolean): Promise<void> {
    const seen = view.lastSeen ?? this.#d.lastSeen.get(view.mac);
    if (!seen) {
      dev.status = 'no_address';
      dev.message = 'never seen: no ledger record to take an address from';
      this.#d.onResult?.(run, dev);
      return;
    }
    const vendor = this.#d.registry.get(view.vendor);
    if (!vendor) {
      dev.status = 'error';
      dev.message = `vendor ${view.vendor} is not known`;
      this.#d.onResult?.(run, dev);
      return;
    }
    const full = await this.#d.device(view.mac);
    const line = full?.accounts[0];
    // The line's transport (vendors.md §1.4: TCP/TLS phones listen where they register from).
    const useLine = this.#d.defaults.transport === 'line';
    const transport = useLine && (line?.transport === 'tcp' || line?.transport === 'tls') ? line.transport : 'udp';
    const sipPort = full?.sipPort !== undefined ? full.sipPort : transport === 'tls' ? this.#d.defaults.tlsPort : this.#d.defaults.sipPort;
    const event = run.reboot ? vendor.notify.reboot : vendor.notify.resync;
    dev.address = `${seen.address}:${sipPort}${transport === 'udp' ? '' : `;${transport}`}`;
    dev.event = event;
    dev.sentAt = this.#d.now();
    dev.status = 'sent';
    const p = this.#d.notifier
      .send({
        target: { address: seen.address, port: sipPort, user: line?.user ?? 'anonymous' },
        transport,
        event,
        reboot: run.reboot,
        ...(line && { credentials: { user: line.auth_id || line.user, password: line.password } }),
      })
      .then((r) => this.#answered(run, dev, r));
    if (!background) return p;
    this.#pendingSends.set(dev, p.finally(() => this.#pendingSends.delete(dev)));
  }

  #answered(run: ResyncRun, dev: DeviceResult, r: NotifyResult): void {
    if (r.kind === 'answered') {
      dev.sipCode = r.code;
      dev.sipReason = r.reason;
      if (r.code >= 300) dev.status = 'rejected';
    } else if (r.kind === 'timeout') {
      dev.status = 'timeout';
      dev.message = `no SIP answer after ${r.attempts} transmissions`;
    } else {
      dev.status = 'error';
      dev.message = r.message;
    }
    this.#d.logger.info({ run: run.id, mac: dev.mac, address: dev.address, event: dev.event, status: dev.status, sip: dev.sipCode ?? null }, 'resync notify');
    this.#d.onResult?.(run, dev);
  }

  /** Waits until every answered phone of the wave fetched a file since its NOTIFY, or the timeout. */
  async #awaitFetches(run: ResyncRun, members: DeviceResult[]): Promise<Mac[]> {
    const deadline = this.#d.now() + this.#d.defaults.waveTimeoutMs;
    const snapshot = this.#d.snapshot();
    for (;;) {
      for (const m of members) {
        if (m.status !== 'sent' || m.sipCode === undefined) continue;
        const files = snapshot?.catalog.deviceEntries(m.mac) ?? [];
        const fetched = files.map((f) => this.#d.ledger.lastDelivery(m.mac, f.name)?.time ?? 0).reduce((a, b) => Math.max(a, b), 0);
        if (fetched >= (m.sentAt ?? 0)) {
          m.status = 'fetched';
          m.fetchedAt = fetched;
          this.#d.onResult?.(run, m);
        }
      }
      const waiting = members.filter((m) => m.status === 'sent');
      if (waiting.length === 0) return members.filter((m) => m.status !== 'fetched').map((m) => m.mac);
      if (this.#d.now() >= deadline) {
        for (const m of waiting) {
          m.status = 'no_fetch';
          m.message = 'answered the NOTIFY but did not fetch in time';
          this.#d.onResult?.(run, m);
        }
        return members.filter((m) => m.status !== 'fetched').map((m) => m.mac);
      }
      await this.#d.sleep(POLL_MS);
    }
  }

  #skipRest(run: ResyncRun, reason: string): ResyncRun {
    for (const dev of run.devices) if (dev.status === 'queued') dev.status = 'skipped';
    for (const w of run.waves) if (w.state === 'waiting') w.state = 'stopped';
    return this.#finish(run, 'stopped', reason);
  }

  #finish(run: ResyncRun, state: 'done' | 'stopped', reason?: string): ResyncRun {
    run.state = state;
    run.finishedAt = this.#d.now();
    if (reason !== undefined) run.stopReason = reason;
    this.#d.logger.info({ run: run.id, state, reason: reason ?? null }, 'resync finished');
    this.#d.onRunChange?.(run);
    return run;
  }
}
