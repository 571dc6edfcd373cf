/**
 * What a protocol login granted (FTP USER/PASS): HTTP and TFTP authenticate per request, FTP once
 * per session against its own accounts. The adapter checks the password; the policy reads the
 * grant to confine the session and to decide secret files, listings and uploads.
 */
import type { Mac } from './mac.js';

export interface SessionGrant {
  /** Login name, recorded in the ledger. */
  readonly user: string;
  /** The folder the login is confined to (segments; [] is the whole tree). */
  readonly folder: readonly string[];
  /** Anonymous logins read non-secret files only and never write. */
  readonly anonymous: boolean;
  /** A per-device login: that device's secret files and uploads, and no other device's. */
  readonly device?: Mac;
}

/** True when `segments` lie at or below the grant's folder. */
export function withinGrant(grant: SessionGrant, segments: readonly string[]): boolean {
  return grant.folder.length <= segments.length && grant.folder.every((seg, i) => seg === segments[i]);
}
