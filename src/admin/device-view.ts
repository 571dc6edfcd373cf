/**
 * What the admin sees of a device: inventory facts, where and when it was last seen, and per
 * file whether it holds today's render. Built from the serving snapshot and the ledger's
 * in-memory index of last deliveries; no I/O of its own except the last-seen lookups it caches.
 */
import type { Mac } from '../core/mac.js';
import type { Snapshot } from '../core/resolver.js';
import type { Protocol } from '../core/types.js';
import type { DeviceSummary } from '../inventory/types.js';
import type { DeliveryState } from '../ledger/format.js';
import type { Ledger, LedgerEntry } from '../ledger/types.js';

export interface FileState {
  readonly file: string;
  readonly state: DeliveryState | 'error';
  readonly currentMd5: string | null;
  readonly deliveredMd5: string | null;
  readonly lastFetch: number | null;
  readonly error?: string;
}

export interface LastSeen {
  readonly time: number;
  readonly address: string;
  readonly protocol: Protocol;
}

export interface DeviceView {
  readonly mac: Mac;
  readonly vendor: string;
  readonly model: string;
  readonly site: string | null;
  readonly profile: string | null;
  readonly labels: readonly string[];
  /** `current` when every file is current, `never` when none was ever delivered, else `pending`. */
  readonly state: DeliveryState;
  readonly files: readonly FileState[];
  readonly lastSeen: LastSeen | null;
}

/** Remembers each device's newest ledger record; fed live by the pipeline, seeded lazily. */
export class LastSeenIndex {
  readonly #seen = new Map<Mac, LastSeen | null>();
  readonly #ledger: Pick<Ledger, 'query'>;

  constructor(ledger: Pick<Ledger, 'query'>) {
    this.#ledger = ledger;
  }

  /** Called for every record; only records that name a device count. */
  note(entry: LedgerEntry): void {
    if (entry.mac) this.#seen.set(entry.mac, { time: entry.time, address: entry.peerAddress, protocol: entry.protocol });
  }

  get(mac: Mac): LastSeen | null {
    const known = this.#seen.get(mac);
    if (known !== undefined) return known;
    const [row] = this.#ledger.query({ mac, limit: 1 });
    const seen = row ? { time: row.time, address: row.peerAddress, protocol: row.protocol } : null;
    this.#seen.set(mac, seen);
    return seen;
  }
}

export function deviceView(
  d: DeviceSummary,
  snapshot: Snapshot,
  ledger: Pick<Ledger, 'lastDelivery'>,
  lastSeen: LastSeenIndex,
): DeviceView {
  const files: FileState[] = snapshot.catalog.deviceEntries(d.mac).map((e) => {
    const last = ledger.lastDelivery(d.mac, e.name);
    const base = { file: e.name, deliveredMd5: last?.md5 ?? null, lastFetch: last?.time ?? null };
    if (!e.file) return { ...base, state: 'error', currentMd5: null, ...(e.error !== undefined ? { error: e.error } : {}) };
    const state: DeliveryState = last === undefined ? 'never' : last.md5 === e.file.md5 ? 'current' : 'pending';
    return { ...base, state, currentMd5: e.file.md5 };
  });
  return {
    mac: d.mac,
    vendor: d.vendor,
    model: d.model,
    site: d.site ?? null,
    profile: d.profile ?? null,
    labels: d.labels,
    state: overall(files),
    files,
    lastSeen: lastSeen.get(d.mac),
  };
}

/**
 * The overall state of one device without building its view (the status summary and the metrics
 * scrape walk every device; this allocates nothing per device).
 */
export function deviceState(mac: Mac, snapshot: Snapshot, ledger: Pick<Ledger, 'lastDelivery'>): DeliveryState {
  let all = true;
  let any = false;
  let files = 0;
  for (const e of snapshot.catalog.deviceEntries(mac)) {
    files++;
    const last = ledger.lastDelivery(mac, e.name);
    if (last) any = true;
    if (!last || !e.file || last.md5 !== e.file.md5) all = false;
  }
  return files > 0 && all ? 'current' : any ? 'pending' : 'never';
}

/** Counts of current/pending/never overall, per site and per vendor/model. */
export function stateCounts(snapshot: Snapshot, ledger: Pick<Ledger, 'lastDelivery'>): ReturnType<typeof summarise> {
  const zero = (): Record<DeliveryState, number> => ({ current: 0, pending: 0, never: 0 });
  const total = zero();
  const bySite: Record<string, Record<DeliveryState, number>> = {};
  const byModel: Record<string, Record<DeliveryState, number>> = {};
  for (const d of snapshot.devices.values()) {
    const state = deviceState(d.mac, snapshot, ledger);
    total[state]++;
    (bySite[d.site ?? '-'] ??= zero())[state]++;
    (byModel[`${d.vendor}/${d.model}`] ??= zero())[state]++;
  }
  return { total, bySite, byModel };
}

function overall(files: readonly FileState[]): DeliveryState {
  if (files.length > 0 && files.every((f) => f.state === 'current')) return 'current';
  if (files.every((f) => f.deliveredMd5 === null)) return 'never';
  return 'pending';
}

export interface DeviceFilter {
  readonly vendor?: string;
  readonly model?: string;
  readonly site?: string;
  readonly state?: DeliveryState;
  /** Substring of MAC, model, site, profile or a label, case-insensitive. */
  readonly q?: string;
}

export function matches(v: DeviceView, f: DeviceFilter): boolean {
  if (f.vendor !== undefined && v.vendor !== f.vendor.toLowerCase()) return false;
  if (f.model !== undefined && v.model.toLowerCase() !== f.model.toLowerCase()) return false;
  if (f.site !== undefined && v.site !== f.site) return false;
  if (f.state !== undefined && v.state !== f.state) return false;
  if (f.q !== undefined) {
    const q = f.q.toLowerCase().replace(/[:.-]/g, '');
    const hay = [v.mac, v.model, v.site ?? '', v.profile ?? '', ...v.labels, v.lastSeen?.address ?? ''].join('\n').toLowerCase();
    if (!hay.includes(q) && !hay.includes(f.q.toLowerCase())) return false;
  }
  return true;
}

/** Every device, sorted by MAC. */
export function allDevices(snapshot: Snapshot, ledger: Pick<Ledger, 'lastDelivery'>, lastSeen: LastSeenIndex): DeviceView[] {
  return [...snapshot.devices.values()]
    .sort((a, b) => (a.mac < b.mac ? -1 : a.mac > b.mac ? 1 : 0))
    .map((d) => deviceView(d, snapshot, ledger, lastSeen));
}

/** Counts of current/pending/never per site and per model, and overall. */
export function summarise(views: readonly DeviceView[]): {
  total: Record<DeliveryState, number>;
  bySite: Record<string, Record<DeliveryState, number>>;
  byModel: Record<string, Record<DeliveryState, number>>;
} {
  const zero = (): Record<DeliveryState, number> => ({ current: 0, pending: 0, never: 0 });
  const total = zero();
  const bySite: Record<string, Record<DeliveryState, number>> = {};
  const byModel: Record<string, Record<DeliveryState, number>> = {};
  for (const v of views) {
    total[v.state]++;
    (bySite[v.site ?? '-'] ??= zero())[v.state]++;
    (byModel[`${v.vendor}/${v.model}`] ??= zero())[v.state]++;
  }
  return { total, bySite, byModel };
}
