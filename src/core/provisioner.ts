/**
 * The pipeline (design §1): resolve, let the adapter move bytes, record once. Every protocol goes
 * through here, so none can forget to log, and "failed" is decided in one place.
 */
import type { Logger } from 'pino';
import type { Ledger, LedgerEntry } from '../ledger/types.js';
import type { FetchLog } from '../log/fetch-log.js';
import type { UploadStore } from '../store/uploads.js';
import type { VendorRegistry } from '../vendors/registry.js';
import type { ExchangeRecorder, ExchangeReport } from './exchange.js';
import { identify } from './identify.js';
import type { AccessPolicy, Credential } from './policy.js';
import type { Resolved, Resolver, Snapshot } from './resolver.js';
import { isRejected, parseRequestPath } from './safe-path.js';
import type {
  DeviceIdentity,
  FetchRequest,
  Outcome,
  ProvisioningPipeline,
  Resolution,
  TransferResult,
  UploadRequest,
  UploadResult,
} from './types.js';

export interface ProvisionerDeps {
  readonly resolver: Resolver;
  readonly registry: VendorRegistry;
  readonly policy: AccessPolicy;
  readonly snapshot: () => Snapshot | undefined;
  readonly uploads: UploadStore;
  readonly ledger: Ledger;
  /** Channel `fetch`: one line per request. */
  readonly fetchLog: FetchLog;
  /** Channel `security`: denials, blocks. */
  readonly securityLog: Logger;
  /** Channel `daemon`: unexpected failures. */
  readonly daemonLog: Logger;
  readonly maxUploadBytes: number;
  readonly now: () => number;
  /**
   * Told after every record, with the ledger's `changed` verdict (null when unknown). For live
   * views and metrics; must be cheap and must not throw (a throw is logged and ignored).
   */
  readonly onRecord?: (entry: LedgerEntry, changed: boolean | null) => void;
  /** Told when a request starts resolving (active-transfer gauges); paired with onRecord. */
  readonly onStart?: (protocol: FetchRequest['protocol']) => void;
}

export class Provisioner implements ProvisioningPipeline, ExchangeRecorder {
  readonly #d: ProvisionerDeps;

  constructor(deps: ProvisionerDeps) {
    this.#d = deps;
  }

  async handle(req: FetchRequest, send: (resolution: Resolution) => Promise<TransferResult>): Promise<void> {
    const started = this.#d.now();
    this.#d.onStart?.(req.protocol);
    let resolved: Resolved;
    try {
      resolved = await this.#d.resolver.resolve(req);
    } catch (err) {
      this.#d.daemonLog.error({ err, path: req.path, protocol: req.protocol }, 'resolving a request failed');
      resolved = { resolution: { kind: 'failed', message: 'internal error', identity: {} } };
    }
    const res = resolved.resolution;
    let result: TransferResult;
    try {
      result = await send(res);
    } catch (err) {
      this.#d.daemonLog.error({ err, path: req.path, protocol: req.protocol }, 'sending a response failed');
      result = { outcome: 'failed', bytes: 0, delivered: false };
    }
    const file = res.kind === 'file' ? res.file : undefined;
    this.#record(req, started, {
      identity: res.identity,
      file: file?.name,
      source: file?.source,
      outcome: result.outcome,
      reason: res.kind === 'file' ? undefined : 'reason' in res ? res.reason : res.kind,
      message: res.kind === 'file' ? undefined : res.message,
      bytes: result.bytes,
      md5: result.md5,
      delivered: result.delivered,
      status: result.status,
      detail: { ...req.detail, ...result.detail },
      user: resolved.user,
    });
  }

  async accept(req: UploadRequest, body: AsyncIterable<Buffer>): Promise<UploadResult> {
    const started = this.#d.now();
    this.#d.onStart?.(req.protocol);
    let identity: DeviceIdentity = {};
    let result: UploadResult;
    let user: string | undefined;
    let aborted = false;
    try {
      ({ result, identity, user } = await this.#accept(req, body));
    } catch (err) {
      aborted = isTransferAborted(err);
      if (!aborted) this.#d.daemonLog.error({ err, path: req.path, protocol: req.protocol }, 'storing an upload failed');
      result = { kind: 'failed', message: aborted ? 'transfer aborted' : 'internal error' };
    }
    const outcome: Outcome =
      result.kind === 'stored' ? 'stored' : result.kind === 'denied' ? 'denied' : aborted ? 'aborted' : 'failed';
    this.#record(req, started, {
      identity,
      file: result.kind === 'stored' ? result.name : undefined,
      source: 'upload',
      outcome,
      reason: result.kind === 'denied' ? result.reason : result.kind === 'failed' ? (aborted ? 'aborted' : 'failed') : undefined,
      message: result.kind === 'stored' ? undefined : result.message,
      bytes: result.kind === 'stored' ? result.bytes : 0,
      md5: result.kind === 'stored' ? result.md5 : undefined,
      delivered: false,
      detail: { ...req.detail, upload: true, ...(req.declaredSize !== undefined ? { declaredSize: req.declaredSize } : {}) },
      user,
    });
    return result;
  }

  refuse(req: FetchRequest, outcome: 'denied' | 'failed', reason: string, status: number): void {
    this.#d.onStart?.(req.protocol);
    this.#record(req, this.#d.now(), {
      identity: {},
      outcome,
      reason,
      bytes: 0,
      delivered: false,
      status,
      detail: req.detail,
    });
  }

  recordExchange(req: FetchRequest, report: ExchangeReport): void {
    this.#record(req, report.started, {
      identity: report.identity,
      outcome: report.outcome,
      reason: report.reason,
      message: report.message,
      bytes: report.bytes,
      delivered: report.delivered,
      status: report.status,
      detail: { ...req.detail, ...report.detail },
    });
  }

  async #accept(
    req: UploadRequest,
    body: AsyncIterable<Buffer>,
  ): Promise<{ result: UploadResult; identity: DeviceIdentity; user?: string }> {
    const path = parseRequestPath(req.path);
    if (isRejected(path)) {
      return { result: { kind: 'denied', reason: 'bad_path', answer: 'not_allowed', message: path.rejected }, identity: {} };
    }
    const admitted = this.#d.policy.admit(req);
    if (!admitted.allow) return { result: uploadDenied(admitted), identity: {} };
    const snapshot = this.#d.snapshot();
    if (!snapshot) return { result: { kind: 'failed', message: 'inventory not loaded yet' }, identity: {} };
    const identity = identify(this.#d.registry, { path, userAgent: req.userAgent, peerAddress: req.peer.address });

    const spec = this.#d.registry.all().map((v) => v.matchUpload(path.basename)).find((s) => s !== undefined);
    if (!spec) {
      return { result: { kind: 'denied', reason: 'upload_not_allowed', answer: 'not_allowed', message: 'not a file phones upload' }, identity };
    }
    if (!snapshot.devices.has(spec.mac)) {
      return { result: { kind: 'denied', reason: 'upload_not_allowed', answer: 'not_allowed', message: `no device ${spec.mac} in the inventory` }, identity };
    }
    const folder = this.#d.policy.folderAuth(req, path, snapshot.folders);
    if (!folder.allow) return { result: uploadDenied(folder), identity };
    const deviceAuth: Credential | undefined = snapshot.deviceAuth(spec.mac);
    const decision = this.#d.policy.upload(req, identity, spec.mac, deviceAuth);
    if (!decision.allow) return { result: uploadDenied(decision), identity };

    const tooLarge: UploadResult = {
      kind: 'denied',
      reason: 'upload_too_large',
      answer: 'too_large',
      message: `uploads are capped at ${this.#d.maxUploadBytes} bytes`,
    };
    if (req.declaredSize !== undefined && req.declaredSize > this.#d.maxUploadBytes) return { result: tooLarge, identity };
    const written = await this.#d.uploads.write(spec.mac, spec.name, body, { maxBytes: this.#d.maxUploadBytes, mode: spec.mode });
    if (!written.ok) return { result: tooLarge, identity };
    return {
      result: { kind: 'stored', name: spec.name, bytes: written.bytes, md5: written.md5, created: written.created },
      identity,
      user: folder.user ?? decision.user,
    };
  }

  #record(
    req: FetchRequest,
    started: number,
    r: {
      identity: DeviceIdentity;
      file?: string;
      source?: LedgerEntry['source'];
      outcome: Outcome;
      reason?: string;
      message?: string;
      bytes: number;
      md5?: string;
      delivered: boolean;
      status?: number;
      detail?: Readonly<Record<string, unknown>>;
      user?: string;
    },
  ): void {
    const durationMs = Math.max(0, this.#d.now() - started);
    const entry: LedgerEntry = {
      time: started,
      protocol: req.protocol,
      peerAddress: req.peer.address,
      peerPort: req.peer.port,
      mac: r.identity.mac,
      identifiedBy: r.identity.by,
      path: req.path,
      file: r.file,
      source: r.source,
      outcome: r.outcome,
      reason: r.reason,
      bytes: r.bytes,
      durationMs,
      userAgent: req.userAgent,
      user: r.user ?? req.credentials?.user,
      md5: r.md5,
      delivered: r.delivered,
      status: r.status,
      detail: r.detail && Object.keys(r.detail).length > 0 ? r.detail : undefined,
    };
    let changed: boolean | null = null;
    try {
      changed = this.#d.ledger.record(entry).changed;
    } catch (err) {
      this.#d.daemonLog.error({ err }, 'writing the ledger failed');
    }
    const line = {
      protocol: entry.protocol,
      peer: entry.peerAddress,
      mac: entry.mac,
      path: entry.path,
      file: entry.file,
      outcome: entry.outcome,
      reason: entry.reason,
      bytes: entry.bytes,
      md5: entry.md5,
      changed,
      ms: durationMs,
      ua: entry.userAgent,
    };
    this.#d.fetchLog.write(line);
    if (this.#d.onRecord) {
      try {
        this.#d.onRecord(entry, changed);
      } catch (err) {
        this.#d.daemonLog.error({ err }, 'a fetch listener failed');
      }
    }
    if (entry.outcome === 'denied') {
      this.#d.securityLog.warn({ ...line, detail: r.message }, 'denied');
    }
  }
}

function uploadDenied(decision: { reason: UploadDeniedReason; answer: 'not_found' | 'auth' | 'forbidden'; realm?: string; message: string }): UploadResult {
  return { kind: 'denied', reason: decision.reason, answer: decision.answer, realm: decision.realm, message: decision.message };
}

type UploadDeniedReason = Extract<UploadResult, { kind: 'denied' }>['reason'];

/**
 * An upload body that ends early because the client went away (an FTP data connection reset, an
 * ABOR) throws an error with code `ABORTED`: the old file stays, the ledger says `aborted`.
 */
function isTransferAborted(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ABORTED';
}
