/**
 * FTP logins from the `ftp:` config section: named accounts (whole tree, one folder such as a
 * Yealink activation-code folder, or one device) with scrypt-hashed passwords, and optional
 * anonymous read-only access. A successful login becomes a SessionGrant the policy reads.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SessionGrant } from '../../core/grant.js';
import { parseMac } from '../../core/mac.js';
import { isRejected, parseRequestPath } from '../../core/safe-path.js';
import type { PresentedCredentials } from '../../core/types.js';
import { verifyPassword } from './password-hash.js';

export interface FtpAccountConfig {
  readonly user: string;
  readonly password_hash: string;
  readonly folder?: string | undefined;
  readonly device?: string | undefined;
}

interface Account {
  readonly user: string;
  readonly hash: string;
  readonly grant: SessionGrant;
}

export type LoginResult =
  | { readonly ok: true; readonly grant: SessionGrant; readonly credentials: PresentedCredentials }
  | { readonly ok: false };

/** Names RFC 1635 reserves for anonymous FTP. */
const ANONYMOUS = new Set(['anonymous', 'ftp']);

/** How long a verified password is remembered, so a phone logging in per file pays scrypt once. */
const REMEMBER_MS = 10 * 60 * 1000;

export class FtpAccounts {
  readonly #accounts: ReadonlyMap<string, Account>;
  readonly #anonymous: boolean;
  readonly #now: () => number;
  /**
   * user -> keyed MAC of the last password that verified, and until when. The key is random per
   * process, so the map holds nothing a dump could turn back into a password. At most one entry
   * per configured account.
   */
  readonly #verified = new Map<string, { mac: Buffer; until: number }>();
  readonly #key = randomBytes(32);

  private constructor(accounts: ReadonlyMap<string, Account>, anonymous: boolean, now: () => number) {
    this.#accounts = accounts;
    this.#anonymous = anonymous;
    this.#now = now;
  }

  /** Builds the accounts, or lists what is wrong with them (one line per problem). */
  static from(
    configs: readonly FtpAccountConfig[],
    anonymous: boolean,
    now: () => number = Date.now,
  ): { accounts: FtpAccounts } | { problems: string[] } {
    const problems: string[] = [];
    const accounts = new Map<string, Account>();
    configs.forEach((c, i) => {
      const where = `ftp.users[${i}] (${c.user})`;
      if (accounts.has(c.user)) problems.push(`${where}: user is listed twice`);
      if (ANONYMOUS.has(c.user.toLowerCase())) problems.push(`${where}: ${c.user} is the anonymous login; set ftp.anonymous instead`);
      let folder: readonly string[] = [];
      if (c.folder !== undefined) {
        const p = parseRequestPath(c.folder);
        if (isRejected(p)) problems.push(`${where}: folder ${JSON.stringify(c.folder)} is not a plain path (${p.rejected})`);
        else folder = p.segments;
      }
      const device = c.device === undefined ? undefined : parseMac(c.device);
      if (c.device !== undefined && !device) problems.push(`${where}: device ${JSON.stringify(c.device)} is not a MAC address`);
      const grant: SessionGrant = { user: c.user, folder, anonymous: false, ...(device ? { device } : {}) };
      accounts.set(c.user, { user: c.user, hash: c.password_hash, grant });
    });
    return problems.length > 0 ? { problems } : { accounts: new FtpAccounts(accounts, anonymous, now) };
  }

  /** True when USER names a login that needs no password check (anonymous, when enabled). */
  isAnonymous(user: string): boolean {
    return this.#anonymous && ANONYMOUS.has(user.toLowerCase());
  }

  /**
   * Checks a login. An unknown user costs the same scrypt as a known one, so timing does not
   * tell which user names exist.
   */
  async login(user: string, password: string): Promise<LoginResult> {
    if (this.isAnonymous(user)) {
      const grant: SessionGrant = { user: 'anonymous', folder: [], anonymous: true };
      return { ok: true, grant, credentials: { user: 'anonymous', verify: () => false } };
    }
    const account = this.#accounts.get(user);
    const mac = createHmac('sha256', this.#key).update(password, 'utf8').digest();
    const seen = account ? this.#verified.get(user) : undefined;
    const remembered = seen !== undefined && seen.until > this.#now() && timingSafeEqual(seen.mac, mac);
    const ok = remembered || (await verifyPassword(password, account?.hash ?? DUMMY_HASH));
    if (!account || !ok) return { ok: false };
    this.#verified.set(user, { mac, until: this.#now() + REMEMBER_MS });
    // The policy may still compare the password with a plain one it holds (per-folder HTTP users,
    // device credentials under secret_files: auth); this object answers without exposing it.
    const sent = digest(password);
    return { ok: true, grant: account.grant, credentials: { user, verify: (expected) => timingSafeEqual(sent, digest(expected)) } };
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** A valid hash of a random string, checked against for unknown users. */
const DUMMY_HASH = 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$Z2liYmVyaXNoZ2liYmVyaXNoZ2liYmVyaXNoZ2liYg==';
