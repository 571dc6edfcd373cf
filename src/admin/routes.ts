/**
 * The admin API's JSON routes. Each takes the parsed URL and answers; authentication and scopes
 * were checked by the server before. Secrets never leave unmasked without the `secrets` scope.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseMac, type Mac } from '../core/mac.js';
import type { Snapshot } from '../core/resolver.js';
import type { Outcome } from '../core/types.js';
import { formatProblem } from '../inventory/loaded.js';
import type { DeliveryState } from '../ledger/format.js';
import type { Ledger, LedgerRow } from '../ledger/types.js';
import type { JobControl } from '../jobs/types.js';
import type { ResyncControl, ResyncRequest } from '../resync/types.js';
import { allDevices, deviceView, matches, stateCounts, type LastSeenIndex } from './device-view.js';
import { lineDiff } from './diff.js';
import { badParams, readJson, sendError, sendJson, sendText } from './http-kit.js';
import { deviceSecrets, type DeviceExtras } from './inventory-extras.js';
import type { InventoryStatus } from './inventory-status.js';
import { MASK, maskText } from './mask.js';
import { Params } from './params.js';
import type { ServedArchive } from './served-archive.js';
import type { Scope } from './tokens.js';

export interface RouteDeps {
  readonly snapshot: () => Snapshot | undefined;
  readonly ledger: Pick<Ledger, 'query' | 'lastDelivery'>;
  readonly inventory: InventoryStatus;
  readonly lastSeen: LastSeenIndex;
  readonly archive: ServedArchive;
  readonly resync?: ResyncControl;
  readonly jobs?: JobControl;
}

const STATES: readonly DeliveryState[] = ['current', 'pending', 'never'];
const OUTCOMES: readonly Outcome[] = ['served', 'stored', 'not_found', 'denied', 'failed', 'aborted'];

function noInventory(res: ServerResponse): void {
  sendError(res, 503, 'inventory not loaded yet');
}

export function listDevices(d: RouteDeps, url: URL, res: ServerResponse): void {
  const p = new Params(url.searchParams);
  const filter = {
    vendor: p.string('vendor', 40),
    model: p.string('model', 40),
    site: p.string('site', 100),
    state: p.oneOf('state', STATES),
    q: p.string('q', 100),
  };
  const limit = p.int('limit', 1, 5000) ?? 500;
  const offset = p.int('offset', 0, 10_000_000) ?? 0;
  const problems = p.finish();
  if (problems.length > 0) return badParams(res, problems);
  const snapshot = d.snapshot();
  if (!snapshot) return noInventory(res);
  const all = allDevices(snapshot, d.ledger, d.lastSeen).filter((v) => matches(v, filter));
  sendJson(res, 200, { total: all.length, limit, offset, devices: all.slice(offset, offset + limit) });
}

function maskedAccounts(device: DeviceExtras | undefined): unknown[] | null {
  if (!device) return null;
  return device.accounts.map((a) => ({ ...a, password: MASK }));
}

export async function oneDevice(d: RouteDeps, mac: Mac, url: URL, res: ServerResponse): Promise<void> {
  const problems = new Params(url.searchParams).finish();
  if (problems.length > 0) return badParams(res, problems);
  const snapshot = d.snapshot();
  if (!snapshot) return noInventory(res);
  const summary = snapshot.devices.get(mac);
  if (!summary) return sendError(res, 404, `no device ${mac} in the inventory`);
  const full = await d.inventory.device(mac);
  const view = deviceView(summary, snapshot, d.ledger, d.lastSeen);
  sendJson(res, 200, {
    ...view,
    pn: summary.pn,
    source: summary.source,
    accounts: maskedAccounts(full),
    history: d.ledger.query({ mac, limit: 50 }).map(rowJson),
  });
}

async function deviceFile(d: RouteDeps, mac: Mac, name: string, res: ServerResponse) {
  const snapshot = d.snapshot();
  if (!snapshot) {
    noInventory(res);
    return undefined;
  }
  if (!snapshot.devices.has(mac)) {
    sendError(res, 404, `no device ${mac} in the inventory`);
    return undefined;
  }
  const entry = snapshot.catalog.deviceEntries(mac).find((e) => e.name.toLowerCase() === name.toLowerCase());
  if (!entry) {
    sendError(res, 404, `device ${mac} has no generated file ${name}`);
    return undefined;
  }
  return { entry, secrets: deviceSecrets(await d.inventory.device(mac)) };
}

/** GET /api/devices/:mac/files/:name?unmasked=true: today's render; unmasked needs `secrets`. */
export async function preview(d: RouteDeps, mac: Mac, name: string, url: URL, scopes: ReadonlySet<Scope>, res: ServerResponse): Promise<void> {
  const p = new Params(url.searchParams);
  const unmasked = p.oneOf('unmasked', ['true', 'false'] as const) === 'true';
  const problems = p.finish();
  if (problems.length > 0) return badParams(res, problems);
  if (unmasked && !scopes.has('secrets')) return sendError(res, 403, 'unmasked previews need a token with the secrets scope');
  const found = await deviceFile(d, mac, name, res);
  if (!found) return;
  const { entry, secrets } = found;
  if (!entry.file) return sendError(res, 422, `the file does not render: ${entry.error ?? 'unknown error'}`);
  const text = entry.file.body.toString('utf8');
  sendText(res, 200, 'text/plain; charset=utf-8', unmasked ? text : maskText(text, secrets), {
    'x-provd-md5': entry.file.md5,
    'x-provd-masked': unmasked ? 'false' : 'true',
  });
}

/** GET /api/devices/:mac/files/:name/diff: masked line diff, last delivered against current. */
export async function diff(d: RouteDeps, mac: Mac, name: string, url: URL, res: ServerResponse): Promise<void> {
  const problems = new Params(url.searchParams).finish();
  if (problems.length > 0) return badParams(res, problems);
  const found = await deviceFile(d, mac, name, res);
  if (!found) return;
  const { entry, secrets } = found;
  const last = d.ledger.lastDelivery(mac, entry.name);
  const currentMd5 = entry.file?.md5 ?? null;
  const base = { mac, file: entry.name, currentMd5, deliveredMd5: last?.md5 ?? null, deliveredAt: last?.time ?? null };
  if (!entry.file) return sendJson(res, 200, { ...base, lines: null, note: `the file does not render: ${entry.error ?? ''}` });
  if (!last) return sendJson(res, 200, { ...base, lines: null, note: 'never delivered' });
  if (last.md5 === currentMd5) return sendJson(res, 200, { ...base, lines: [], note: 'the device holds the current render' });
  const before = d.archive.get(last.md5);
  if (!before) return sendJson(res, 200, { ...base, lines: null, note: 'the bytes last served were rendered before this daemon started; only their MD5 is known' });
  const lines = lineDiff(maskText(before.toString('utf8'), secrets), maskText(entry.file.body.toString('utf8'), secrets));
  sendJson(res, 200, { ...base, lines: lines ?? null, note: lines ? null : 'file too large to diff' });
}

export function rowJson(r: LedgerRow): Record<string, unknown> {
  return {
    id: r.id,
    time: new Date(r.time).toISOString(),
    protocol: r.protocol,
    peerAddress: r.peerAddress,
    mac: r.mac ?? null,
    path: r.path,
    file: r.file ?? null,
    outcome: r.outcome,
    reason: r.reason ?? null,
    status: r.status ?? null,
    bytes: r.bytes,
    durationMs: r.durationMs,
    md5: r.md5 ?? null,
    delivered: r.delivered,
    changed: r.changed,
    userAgent: r.userAgent ?? null,
  };
}

export function ledger(d: RouteDeps, url: URL, res: ServerResponse): void {
  const p = new Params(url.searchParams);
  const mac = p.mac('mac');
  const since = p.time('since');
  const until = p.time('until');
  const outcome = p.oneOf('outcome', OUTCOMES);
  const limit = p.int('limit', 1, 1000) ?? 100;
  const offset = p.int('offset', 0, 10_000_000) ?? 0;
  const problems = [...p.finish()];
  if (since !== undefined && until !== undefined && until < since) problems.push({ param: 'until', problem: 'is before since' });
  if (problems.length > 0) return badParams(res, problems);
  // The ledger query has no upper bound; rows past `until` are skipped here, newest first.
  const rows: LedgerRow[] = [];
  let skip = offset;
  let cursor = 0;
  const page = 1000;
  for (;;) {
    const batch = d.ledger.query({ mac, since, outcome, limit: page, offset: cursor });
    cursor += batch.length;
    for (const r of batch) {
      if (until !== undefined && r.time > until) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      rows.push(r);
      if (rows.length > limit) break;
    }
    if (rows.length > limit || batch.length < page) break;
  }
  const more = rows.length > limit;
  sendJson(res, 200, { limit, offset, more, next: more ? offset + limit : null, rows: rows.slice(0, limit).map(rowJson) });
}

export function status(d: RouteDeps, url: URL, res: ServerResponse): void {
  const problems = new Params(url.searchParams).finish();
  if (problems.length > 0) return badParams(res, problems);
  const snapshot = d.snapshot();
  if (!snapshot) return noInventory(res);
  sendJson(res, 200, { devices: snapshot.devices.size, ...stateCounts(snapshot, d.ledger) });
}

export function inventory(d: RouteDeps, url: URL, res: ServerResponse): void {
  const problems = new Params(url.searchParams).finish();
  if (problems.length > 0) return badParams(res, problems);
  const fmt = (a: typeof d.inventory.lastAttempt) =>
    a && {
      at: new Date(a.at).toISOString(),
      ok: a.ok,
      devices: a.devices ?? null,
      files: a.files ?? null,
      renderProblems: a.renderProblems ?? [],
      problems: a.problems.map(formatProblem),
      warnings: a.warnings.map(formatProblem),
    };
  sendJson(res, 200, { lastAttempt: fmt(d.inventory.lastAttempt) ?? null, lastGood: fmt(d.inventory.lastGood) ?? null });
}

/** Body of POST /api/resync, checked field by field like query parameters. */
export function parseResyncBody(body: unknown): { ok: true; req: ResyncRequest } | { ok: false; problems: { param: string; problem: string }[] } {
  const problems: { param: string; problem: string }[] = [];
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, problems: [{ param: 'body', problem: 'expected a JSON object' }] };
  const b = body as Record<string, unknown>;
  const known = new Set(['macs', 'pending', 'site', 'model', 'reboot', 'rate', 'waves']);
  for (const k of Object.keys(b)) if (!known.has(k)) problems.push({ param: k, problem: 'unknown field' });
  let macs: Mac[] | undefined;
  if (b.macs !== undefined) {
    if (!Array.isArray(b.macs) || b.macs.length > 100_000) problems.push({ param: 'macs', problem: 'expected an array of MAC addresses' });
    else {
      macs = [];
      for (const m of b.macs) {
        const mac = typeof m === 'string' ? parseMac(m) : undefined;
        if (!mac) problems.push({ param: 'macs', problem: `not a MAC address: ${JSON.stringify(m).slice(0, 40)}` });
        else macs.push(mac);
      }
    }
  }
  const bool = (k: string) => {
    if (b[k] !== undefined && typeof b[k] !== 'boolean') problems.push({ param: k, problem: 'expected true or false' });
    return b[k] === true;
  };
  const str = (k: string) => {
    if (b[k] !== undefined && (typeof b[k] !== 'string' || b[k] === '')) problems.push({ param: k, problem: 'expected a non-empty string' });
    return typeof b[k] === 'string' && b[k] !== '' ? b[k] : undefined;
  };
  const pending = bool('pending');
  const reboot = bool('reboot');
  const site = str('site');
  const model = str('model');
  let rate: number | undefined;
  if (b.rate !== undefined) {
    if (typeof b.rate !== 'number' || !(b.rate >= 0.1 && b.rate <= 1000)) problems.push({ param: 'rate', problem: 'expected a number of NOTIFYs per second from 0.1 to 1000' });
    else rate = b.rate;
  }
  let waves: number[] | undefined;
  if (b.waves !== undefined) {
    const ok = Array.isArray(b.waves) && b.waves.length > 0 && b.waves.length <= 50 &&
      b.waves.every((w, i, all) => Number.isInteger(w) && (w as number) > 0 && (i === 0 || (w as number) > (all[i - 1] as number)));
    if (!ok) problems.push({ param: 'waves', problem: 'expected increasing whole numbers, e.g. [1, 5, 25, 100]' });
    else waves = b.waves as number[];
  }
  if (!macs && !pending && !site && !model) problems.push({ param: 'body', problem: 'name devices: macs, pending, site or model' });
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    req: { ...(macs && { macs }), pending, reboot, ...(site && { site }), ...(model && { model }), ...(rate !== undefined && { ratePerSecond: rate }), ...(waves && { waves }), origin: 'api' },
  };
}

export async function startResync(d: RouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req, res);
  if (body === undefined) return;
  const parsed = parseResyncBody(body);
  if (!parsed.ok) return badParams(res, parsed.problems);
  if (!d.resync) return sendError(res, 503, 'resync is not available');
  const started = d.resync.start(parsed.req);
  if (!started.ok) return sendJson(res, 422, { error: 'nothing to resync', problems: started.problems });
  sendJson(res, 202, started.run);
}

export function listResyncs(d: RouteDeps, res: ServerResponse): void {
  sendJson(res, 200, { runs: d.resync?.list() ?? [] });
}

export function oneResync(d: RouteDeps, id: string, res: ServerResponse): void {
  const run = d.resync?.get(id);
  if (!run) return sendError(res, 404, `no resync run ${id}`);
  sendJson(res, 200, run);
}

export function listJobs(d: RouteDeps, res: ServerResponse): void {
  sendJson(res, 200, { jobs: d.jobs?.list() ?? [] });
}

export async function runJob(d: RouteDeps, name: string, res: ServerResponse): Promise<void> {
  const run = d.jobs?.runNow(name);
  if (!run) return sendError(res, 404, `no job ${name}`);
  sendJson(res, 200, await run);
}
