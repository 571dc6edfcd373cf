/**
 * USER and PASS (RFC 959 §4.1.1) against the configured accounts, under the per-address limit
 * of failed logins. Only the user name is ever logged, never the password.
 */
import type { SessionGrant } from '../../core/grant.js';
import type { PresentedCredentials } from '../../core/types.js';
import type { Logger } from '../../log/logger.js';
import type { FtpAccounts } from './accounts.js';
import type { FtpGuard } from './guard.js';
import type { SimpleReply } from './simple-commands.js';

export interface LoginOptions {
  readonly accounts: FtpAccounts;
  readonly guard: FtpGuard;
  readonly securityLog: Logger;
  readonly requireTls: boolean;
  readonly peerAddress: string;
}

export interface LoggedIn {
  readonly grant: SessionGrant;
  readonly credentials: PresentedCredentials;
}

export class LoginFlow {
  readonly #o: LoginOptions;
  #pendingUser: string | undefined;

  constructor(opts: LoginOptions) {
    this.#o = opts;
  }

  /** Forgets a USER not yet followed by PASS (after AUTH TLS, RFC 4217 §4). */
  reset(): void {
    this.#pendingUser = undefined;
  }

  user(arg: string, tls: boolean): SimpleReply {
    if (this.#o.requireTls && !tls) {
      this.#pendingUser = undefined;
      return { code: 530, text: 'TLS required: send AUTH TLS first.' };
    }
    this.#pendingUser = arg.trim();
    if (this.#o.accounts.isAnonymous(this.#pendingUser)) return { code: 331, text: 'Anonymous login ok, send any password.' };
    return { code: 331, text: 'Please specify the password.' };
  }

  async pass(password: string): Promise<{ reply: SimpleReply; login?: LoggedIn }> {
    const user = this.#pendingUser;
    this.#pendingUser = undefined;
    if (user === undefined) return { reply: { code: 503, text: 'Login with USER first.' } };
    const address = this.#o.peerAddress;
    if (this.#o.guard.loginBlocked(address)) {
      this.#o.securityLog.warn({ protocol: 'ftp', peer: address, user }, 'ftp login refused: too many failures');
      return { reply: { code: 530, text: 'Too many failed logins; try again later.' } };
    }
    const result = await this.#o.accounts.login(user, password);
    if (!result.ok) {
      const blocked = this.#o.guard.loginFailed(address);
      this.#o.securityLog.warn({ protocol: 'ftp', peer: address, user, blocked }, 'ftp login failed');
      return { reply: { code: 530, text: 'Login incorrect.' } };
    }
    return { reply: { code: 230, text: 'Login successful.' }, login: { grant: result.grant, credentials: result.credentials } };
  }
}
