/**
 * The settings an admin may override without editing the config file: one table drives the
 * environment variables, the command-line flags, their help text and where each lands in the
 * config, so the three can never drift apart.
 */

/** How an override's text becomes a config value. */
export type OverrideKind = 'string' | 'port' | 'path';

export interface OverrideSpec {
  /** Key in `ConfigOverrides`. */
  readonly key: OverrideKey;
  /** Environment variable, e.g. `PROVD_HTTP_PORT`. */
  readonly env: string;
  /** Long flag without the dashes, e.g. `http-port`. */
  readonly flag: string;
  /** Where the value lands in the config object. */
  readonly path: readonly string[];
  readonly kind: OverrideKind;
  /** Placeholder for help text, e.g. `N`. */
  readonly metavar: string;
  /** One line for help text. */
  readonly help: string;
}

export type OverrideKey =
  | 'bind'
  | 'httpPort'
  | 'httpsPort'
  | 'tftpPort'
  | 'ftpPort'
  | 'adminPort'
  | 'stateDir'
  | 'root'
  | 'inventory'
  | 'publicHost'
  | 'logLevel';

/**
 * Raw override values as the admin typed them (flags) or set them (environment). They stay text
 * until `loadConfig` checks them, so a bad value is reported with every other problem at once.
 */
export type ConfigOverrides = Partial<Record<OverrideKey, string>>;

/** Every override, in the order help text lists them. */
export const OVERRIDES: readonly OverrideSpec[] = [
  { key: 'bind', env: 'PROVD_BIND', flag: 'bind', path: ['bind'], kind: 'string', metavar: 'ADDR',
    help: 'address every listener binds unless its own section says otherwise' },
  { key: 'httpPort', env: 'PROVD_HTTP_PORT', flag: 'http-port', path: ['http', 'port'], kind: 'port', metavar: 'N',
    help: 'HTTP port (0 picks a free one)' },
  { key: 'httpsPort', env: 'PROVD_HTTPS_PORT', flag: 'https-port', path: ['https', 'port'], kind: 'port', metavar: 'N',
    help: 'HTTPS port, used once https.cert and https.key are set' },
  { key: 'tftpPort', env: 'PROVD_TFTP_PORT', flag: 'tftp-port', path: ['tftp', 'port'], kind: 'port', metavar: 'N',
    help: 'TFTP port' },
  { key: 'ftpPort', env: 'PROVD_FTP_PORT', flag: 'ftp-port', path: ['ftp', 'port'], kind: 'port', metavar: 'N',
    help: 'FTP port' },
  { key: 'adminPort', env: 'PROVD_ADMIN_PORT', flag: 'admin-port', path: ['admin', 'port'], kind: 'port', metavar: 'N',
    help: 'admin API port' },
  { key: 'stateDir', env: 'PROVD_STATE_DIR', flag: 'state-dir', path: ['state_dir'], kind: 'path', metavar: 'DIR',
    help: 'folder for the ledger and uploaded files' },
  { key: 'root', env: 'PROVD_ROOT', flag: 'root', path: ['root'], kind: 'path', metavar: 'DIR',
    help: 'folder of static files (firmware, resources)' },
  { key: 'inventory', env: 'PROVD_INVENTORY', flag: 'inventory', path: ['inventory'], kind: 'path', metavar: 'PATH',
    help: 'inventory YAML file, or a folder of them' },
  { key: 'publicHost', env: 'PROVD_PUBLIC_HOST', flag: 'public-host', path: ['public_host'], kind: 'string', metavar: 'HOST',
    help: 'host name or address phones use to reach provd' },
  { key: 'logLevel', env: 'PROVD_LOG_LEVEL', flag: 'log-level', path: ['log', 'level'], kind: 'string', metavar: 'LEVEL',
    help: 'fatal, error, warn, info, debug or trace' },
];

/** Environment variable naming the config file when `--config` is not given. */
export const CONFIG_ENV = 'PROVD_CONFIG';
