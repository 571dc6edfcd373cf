/**
 * The contract between protocol adapters and the provisioning pipeline (design §1).
 * Adapters build a FetchRequest, hand the provisioner a `send` that moves bytes, and never
 * touch the inventory, templates or ledger themselves.
 */
import type { SessionGrant } from './grant.js';
import type { Mac } from './mac.js';

export type Protocol = 'http' | 'https' | 'tftp' | 'ftp' | 'ftps' | 'pnp' | 'cli';

export interface Peer {
  readonly address: string;
  readonly port: number;
}

/**
 * Credentials a client presented, protocol-neutral. The adapter knows how to check a password
 * against what was sent (Basic compares, Digest recomputes the response); the policy knows which
 * password is expected.
 */
export interface PresentedCredentials {
  readonly user: string;
  verify(password: string): boolean;
}

export interface FetchRequest {
  readonly protocol: Protocol;
  readonly peer: Peer;
  /** The path as the client named it, already percent-decoded by the adapter. */
  readonly path: string;
  /** HEAD asks for headers only (Polycom does this); the ledger notes it. */
  readonly headOnly?: boolean;
  readonly userAgent?: string;
  readonly credentials?: PresentedCredentials;
  /** Protocol details worth keeping in the ledger (TFTP options, HTTP range...). */
  readonly detail?: Readonly<Record<string, unknown>>;
  /** What a session login (FTP) granted; absent for per-request protocols. */
  readonly grant?: SessionGrant;
}

/** How the device behind a request was recognised. */
export type IdentifiedBy = 'path' | 'user-agent' | 'lease' | 'address' | 'credentials';

export interface DeviceIdentity {
  readonly mac?: Mac;
  readonly by?: IdentifiedBy;
  /** MAC carried by the User-Agent, when there was one (used by stricter policies). */
  readonly uaMac?: Mac;
  readonly uaVendor?: string;
  readonly uaModel?: string;
  readonly uaVersion?: string;
  /** MAC the DHCP helper's lease ties the client address to, when there is one (`secret_files: lease`). */
  readonly leaseMac?: Mac;
}

/** Bytes the pipeline has ready in memory: generated files and stored uploads. */
export interface MemoryFile {
  readonly source: 'generated' | 'upload';
  /** Canonical file name (the vendor's case), used as the ledger's `file`. */
  readonly name: string;
  readonly body: Buffer;
  readonly md5: string;
  readonly contentType: string;
  readonly mtimeMs: number;
}

/** A file under the static root, streamed by the adapter. */
export interface StaticFile {
  readonly source: 'static';
  /** Path relative to the static root, with forward slashes. */
  readonly name: string;
  readonly absPath: string;
  readonly size: number;
  readonly md5: string;
  readonly contentType: string;
  readonly mtimeMs: number;
}

export type ServedFile = MemoryFile | StaticFile;

export type NotFoundReason =
  | 'no_such_file'
  | 'unknown_device'
  | 'render_failed'
  | 'not_for_this_device';

export type DeniedReason =
  | 'bad_path'
  | 'network_not_allowed'
  | 'blocked_scanner'
  | 'secret_not_named'
  | 'user_agent_mismatch'
  | 'lease_mismatch'
  | 'auth_required'
  | 'auth_failed'
  | 'upload_not_allowed'
  | 'upload_too_large'
  /** A session login confined to a folder asked for something outside it. */
  | 'outside_login_folder'
  /** A read-only login (anonymous FTP) tried to write. */
  | 'read_only_login';

/**
 * What the client sees for a denial. `not_found` keeps a scanner from learning that a secret
 * file exists; `auth` asks for credentials in the protocol's way (HTTP 401 with a challenge).
 */
export type DeniedAnswer = 'not_found' | 'auth' | 'forbidden';

export type Resolution =
  | { readonly kind: 'file'; readonly file: ServedFile; readonly identity: DeviceIdentity }
  | {
      readonly kind: 'not_found';
      readonly reason: NotFoundReason;
      readonly message?: string;
      readonly identity: DeviceIdentity;
    }
  | {
      readonly kind: 'denied';
      readonly reason: DeniedReason;
      readonly answer: DeniedAnswer;
      /** Realm to challenge with when answer is `auth`. */
      readonly realm?: string;
      readonly message?: string;
      readonly identity: DeviceIdentity;
    }
  /** Something broke inside provd; the client gets a generic error (HTTP 500, TFTP ERROR 0). */
  | { readonly kind: 'failed'; readonly message: string; readonly identity: DeviceIdentity };

export type Outcome = 'served' | 'stored' | 'not_found' | 'denied' | 'failed' | 'aborted';

/** What the adapter reports after moving bytes for a Resolution. */
export interface TransferResult {
  /** served/aborted for files; not_found/denied echo the resolution; failed for I/O errors. */
  readonly outcome: Outcome;
  /** Payload bytes the client received (acknowledged, where the protocol tells). */
  readonly bytes: number;
  /** MD5 of exactly the bytes served; omitted when nothing was sent. */
  readonly md5?: string;
  /** True when the client now holds the whole current file (full body, or a 304 on its ETag). */
  readonly delivered: boolean;
  /** Wire status (HTTP status, TFTP error code...). */
  readonly status?: number;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** A client's attempt to write a file (HTTP PUT, FTP STOR, TFTP WRQ). */
export interface UploadRequest extends FetchRequest {
  /** Size announced up front (Content-Length, tsize) when the protocol gives one. */
  readonly declaredSize?: number;
}

export type UploadResult =
  | { readonly kind: 'stored'; readonly name: string; readonly bytes: number; readonly md5: string; readonly created: boolean }
  | {
      readonly kind: 'denied';
      readonly reason: DeniedReason;
      readonly answer: DeniedAnswer | 'not_allowed' | 'too_large';
      readonly realm?: string;
      readonly message?: string;
    }
  | { readonly kind: 'failed'; readonly message: string };

/** The one entry point every protocol adapter talks to (design §1). */
export interface ProvisioningPipeline {
  /**
   * Resolves a read, lets the adapter move the bytes through `send` (called exactly once), and
   * records the fetch in the ledger and the log once, whatever happened. Never throws: an
   * unexpected failure while resolving reaches `send` as a `failed` resolution; a `send` that
   * rejects is recorded as `failed` (or `aborted` when the adapter says so in its result).
   */
  handle(req: FetchRequest, send: (resolution: Resolution) => Promise<TransferResult>): Promise<void>;
  /**
   * A client writes a file. The policy decides whether this client may write this name; the
   * body is read only up to the upload cap, written atomically, and recorded in the ledger.
   */
  accept(req: UploadRequest, body: AsyncIterable<Buffer>): Promise<UploadResult>;
  /**
   * Records a request the adapter refused before it reached the pipeline (a method HTTP does not
   * serve, a malformed request line), so that every request still leaves one ledger record.
   */
  refuse(req: FetchRequest, outcome: 'denied' | 'failed', reason: string, status: number): void;
}
