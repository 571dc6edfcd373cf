/**
 * Builds the FTP server from the `ftp:` config section (the HTTPS certificate is shared), or
 * lists why it cannot start.
 */
import type { Config } from '../../config/schema.js';
import type { TreeLister } from '../../core/tree.js';
import type { ProvisioningPipeline } from '../../core/types.js';
import type { Logger } from '../../log/logger.js';
import { FtpAccounts } from './accounts.js';
import { FtpServer } from './server.js';

export interface FtpDeps {
  readonly pipeline: ProvisioningPipeline;
  readonly tree: TreeLister;
  readonly logger: Logger;
  readonly securityLog: Logger;
  /** The HTTPS certificate and key, already read. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer } | undefined;
  readonly now: () => number;
}

export function ftpServerFromConfig(config: Readonly<Config>, deps: FtpDeps): { server: FtpServer } | { problems: string[] } {
  const ftp = config.ftp;
  const built = FtpAccounts.from(ftp.users, ftp.anonymous, deps.now);
  const problems = 'problems' in built ? [...built.problems] : [];
  if (ftp.require_tls && !deps.tls) problems.push('ftp.require_tls needs https.cert and https.key (FTPS uses the HTTPS certificate)');
  if (problems.length > 0 || !('accounts' in built)) return { problems };
  const [min = 0, max = 0] = ftp.passive_ports?.split('-').map(Number) ?? [];
  const server = new FtpServer({
    ...deps,
    accounts: built.accounts,
    requireTls: ftp.require_tls,
    passivePorts: ftp.passive_ports ? { min, max } : undefined,
    passiveAddress: ftp.passive_address,
    idleSeconds: ftp.idle_seconds,
    dataTimeoutSeconds: ftp.data_timeout_seconds,
    maxConnectionsPerAddress: ftp.max_connections_per_address,
    loginFailures: ftp.login_failures,
    loginWindowSeconds: ftp.login_window_seconds,
  });
  return { server };
}
