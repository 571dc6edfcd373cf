/**
 * The daemon's configuration. The zod schema is the type: every field, its default and its
 * validation live here once. Paths are resolved against the config file's folder by load.ts.
 */
import { z } from 'zod';
import { parseMac } from '../core/mac.js';
import { addressBlockProblems } from '../core/net.js';
import { DHCP_DEFAULTS, dhcpSchema } from '../dhcp/config.js';
import { isRejected, parseRequestPath } from '../core/safe-path.js';
import { adminSchema } from './admin-schema.js';

const port = z.number().int().min(0).max(65535);

/** A CIDR block such as 10.0.0.0/8 or fc00::/7, checked by the same parser the policy uses. */
const cidr = z
  .string()
  .refine((block) => addressBlockProblems([block]).length === 0, 'expected an address block such as 192.168.0.0/16 or fc00::/7');

const userPassword = z.object({
  user: z.string().min(1),
  /** Plain text: HTTP Digest needs it. Prefer `password_env` so the file holds no secret. */
  password: z.string().min(1).optional(),
  password_env: z.string().min(1).optional(),
}).strict().refine((u) => (u.password === undefined) !== (u.password_env === undefined), {
  message: 'give exactly one of password or password_env',
});

const folderAuth = z.object({
  /** Folder under the served tree, e.g. `T23G_1` (Yealink activation-code folders). */
  path: z.string().min(1),
  realm: z.string().min(1).optional(),
  users: z.array(userPassword).min(1),
}).strict();

export const configSchema = z.object({
  /** Address every listener binds unless its own `bind` says otherwise. */
  bind: z.string().min(1, 'must not be empty').default('0.0.0.0'),
  /**
   * Host name or address phones use to reach provd, written into generated files
   * (`static.auto_provision.server.url`...). Empty: the first non-loopback IPv4 of this machine.
   */
  public_host: z.string().default(''),
  http: z.object({
    enabled: z.boolean().default(true),
    bind: z.string().optional(),
    port: port.default(8080),
    /** Close idle keep-alive connections after this many seconds. */
    keep_alive_seconds: z.number().int().min(1).max(600).default(30),
  }).strict().default({ enabled: true, port: 8080, keep_alive_seconds: 30 }),
  https: z.object({
    /** HTTPS starts when both cert and key are set. */
    bind: z.string().optional(),
    port: port.default(8443),
    cert: z.string().min(1, 'must not be empty').optional(),
    key: z.string().min(1, 'must not be empty').optional(),
  }).strict().default({ port: 8443 }),
  /** The TFTP server (protocols/tftp); every field is explained in config/provd.yaml. */
  tftp: z.object({
    enabled: z.boolean().default(false),
    bind: z.string().optional(),
    port: port.default(6969),
    /** Answer every transfer from the listening port (Docker bridge, NAT) instead of one port each. */
    single_port: z.boolean().default(false),
    /** Largest blksize granted (RFC 2348); 1468 fits a 1500-byte Ethernet MTU. */
    max_blksize: z.number().int().min(8).max(65464).default(1468),
    /** Largest windowsize granted (RFC 7440); larger windows break some clients. */
    max_windowsize: z.number().int().min(1).max(65535).default(64),
    retransmit: z.object({
      initial_ms: z.number().int().min(10).max(60_000).default(1000),
      max_ms: z.number().int().min(10).max(120_000).default(5000),
      give_up_ms: z.number().int().min(100).max(600_000).default(20_000),
    }).strict().default({ initial_ms: 1000, max_ms: 5000, give_up_ms: 20_000 }),
    max_transfers: z.number().int().min(1).max(100_000).default(2000),
    max_per_address: z.number().int().min(1).max(100_000).default(64),
    /** WRQ; even when on, only the upload names the policy allows, size-capped by `uploads`. */
    allow_write: z.boolean().default(false),
    error_replies_per_second: z.number().int().min(1).max(10_000).default(5),
    /** Per-client option profiles for boot loaders that choke on options; first match wins. */
    profiles: z.array(z.object({
      networks: z.array(cidr).min(1),
      options: z.array(z.enum(['blksize', 'tsize', 'timeout', 'windowsize'])).optional(),
      max_blksize: z.number().int().min(8).max(65464).optional(),
      max_windowsize: z.number().int().min(1).max(65535).optional(),
    }).strict()).default([]),
  }).strict().default({
    enabled: false, port: 6969, single_port: false, max_blksize: 1468, max_windowsize: 64,
    retransmit: { initial_ms: 1000, max_ms: 5000, give_up_ms: 20_000 },
    max_transfers: 2000, max_per_address: 64, allow_write: false, error_replies_per_second: 5, profiles: [],
  }),
  /** FTP and explicit FTPS (AUTH TLS with the HTTPS certificate); see src/protocols/ftp/. */
  ftp: z.object({
    enabled: z.boolean().default(false),
    bind: z.string().optional(),
    port: port.default(2121),
    /** Passive data ports, e.g. `50000-50100`; absent: any free port. */
    passive_ports: z.string().regex(/^\d{1,5}-\d{1,5}$/, 'expected a range such as 50000-50100')
      .refine((r) => {
        const [lo = 0, hi = 0] = r.split('-').map(Number);
        return lo >= 1 && lo <= hi && hi <= 65535;
      }, 'expected ports from 1 to 65535, low-high').optional(),
    /** IPv4 address PASV replies announce (the NAT's outside address); absent: the control connection's. */
    passive_address: z.ipv4().optional(),
    /** Refuse USER before AUTH TLS and data without PROT P (needs https.cert and https.key). */
    require_tls: z.boolean().default(false),
    /** Anonymous read-only logins (`anonymous`/`ftp`): non-secret files only, never writes. */
    anonymous: z.boolean().default(false),
    users: z.array(z.object({
      user: z.string().min(1).max(64).regex(/^[^\s:]+$/, 'no spaces or colons'),
      /** From `provd hash-password`: `scrypt$<N>$<r>$<p>$<salt>$<hash>`. */
      password_hash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'expected the output of provd hash-password'),
      /** The login sees this folder as its root (a Yealink activation-code folder); absent: the whole tree. */
      folder: z.string().min(1).refine((f) => !isRejected(parseRequestPath(f)), 'expected a folder inside the tree, such as T23G_1').optional(),
      /** A per-device login: this device's secret files and uploads only. */
      device: z.string().min(1).refine((m) => parseMac(m) !== undefined, 'expected a MAC address such as 80:5e:c0:d5:7d:72').optional(),
    }).strict()).default([]),
    /** Idle control connections are closed after this long. */
    idle_seconds: z.number().int().min(5).max(3600).default(300),
    /** A data connection that does not open or moves no byte for this long is dropped. */
    data_timeout_seconds: z.number().int().min(1).max(600).default(30),
    max_connections_per_address: z.number().int().min(1).max(10_000).default(16),
    /** Failed logins per address within the window before that address is refused for a while. */
    login_failures: z.number().int().min(1).default(5),
    login_window_seconds: z.number().int().min(1).default(300),
  }).strict().default({
    enabled: false, port: 2121, require_tls: false, anonymous: false, users: [], idle_seconds: 300,
    data_timeout_seconds: 30, max_connections_per_address: 16, login_failures: 5, login_window_seconds: 300,
  }),
  /** SIP Plug-and-Play responder (docs/pnp-syslog.md): off unless enabled. */
  pnp: z.object({
    enabled: z.boolean().default(false),
    /** IPv4 address of the phones' interface: joins 224.0.1.75 there and takes unicast on it. */
    interface: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/, 'expected an IPv4 address such as 192.168.1.10').optional(),
    port: port.default(5060),
    /** Scheme of the URL in the NOTIFY; `auto` is https when HTTPS is on, else http. */
    scheme: z.enum(['auto', 'http', 'https', 'tftp', 'ftp']).default('auto'),
    /** SUBSCRIBEs one address may send per minute; more are ignored (no reflector). */
    per_address_per_minute: z.number().int().min(1).max(10_000).default(10),
    /** SUBSCRIBEs answered per minute from all addresses together (a site booting at once). */
    total_per_minute: z.number().int().min(1).max(1_000_000).default(6000),
    /** PnP exchanges in flight at once (a NOTIFY retransmits up to 32 s). */
    max_exchanges: z.number().int().min(1).max(100_000).default(512),
  }).strict().refine((p) => !p.enabled || p.interface !== undefined, {
    message: 'pnp.enabled needs pnp.interface (the IPv4 address that joins 224.0.1.75)',
    path: ['interface'],
  }).default({ enabled: false, port: 5060, scheme: 'auto', per_address_per_minute: 10, total_per_minute: 6000, max_exchanges: 512 }),
  /** Syslog receiver: phones' logs kept per device (docs/pnp-syslog.md): off unless enabled. */
  syslog: z.object({
    enabled: z.boolean().default(false),
    bind: z.string().optional(),
    /** UDP port (and TCP port when `tcp` is on). 514 needs root or CAP_NET_BIND_SERVICE. */
    port: port.default(514),
    /** Also accept TCP (RFC 6587 octet counting or LF framing). */
    tcp: z.boolean().default(false),
    /** Port phones are told to log to, when a NAT or port forward differs from `port`. */
    public_port: port.optional(),
    /** Longer messages are truncated (counted). */
    max_message_bytes: z.number().int().min(256).max(65_535).default(2048),
    /** Size of one device's log file before it rotates. */
    max_file_bytes: z.number().int().min(4096).max(1024 * 1024 * 1024).default(1024 * 1024),
    /** Rotated files kept per device (`<mac>.log.1` ...). */
    rotations: z.number().int().min(0).max(20).default(3),
  }).strict().default({ enabled: false, port: 514, tcp: false, max_message_bytes: 2048, max_file_bytes: 1024 * 1024, rotations: 3 }),
  /** Admin API, dashboard, metrics, resync over SIP NOTIFY and scheduled jobs (src/admin/). */
  admin: adminSchema.prefault({}),
  state_dir: z.string().min(1, 'must not be empty').default('./var'),
  /** Static files (firmware, resources) served under their own path. */
  root: z.string().min(1, 'must not be empty').default('./root'),
  /** An inventory YAML file, or a folder whose *.yaml files are merged. */
  inventory: z.string().min(1, 'must not be empty').default('./inventory'),
  templates: z.object({
    /**
     * Shipped templates; replaced on upgrade. When a config file does not set it, it is the
     * package's own `templates/` folder wherever the config file lives.
     */
    shipped: z.string().min(1, 'must not be empty').default('../templates'),
    /** Admin's own templates, looked up first; never touched by upgrades. */
    override: z.string().min(1, 'must not be empty').default('./templates.local'),
  }).strict().default({ shipped: '../templates', override: './templates.local' }),
  security: z.object({
    /** Clients outside these blocks are denied everything. */
    allowed_networks: z.array(cidr).min(1).default([
      '127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16',
      '169.254.0.0/16', '100.64.0.0/10', 'fc00::/7', 'fe80::/10',
    ]),
    /**
     * Who may fetch a file that carries credentials:
     * - `named`: a request whose path or User-Agent names the device (default);
     * - `user-agent`: as `named`, and a User-Agent that carries a MAC must carry this one;
     * - `user-agent-required`: the User-Agent must carry this device's MAC;
     * - `auth`: the device's own HTTP credentials (inventory `auth`) are required;
     * - `lease`: as `named`, and provd's DHCP helper must tie the client address to this MAC.
     */
    secret_files: z.enum(['named', 'user-agent', 'user-agent-required', 'auth', 'lease']).default('named'),
    scanner: z.object({
      /** Distinct unknown MACs one address may ask for within the window before it is blocked. */
      unknown_macs: z.number().int().min(1).default(8),
      window_seconds: z.number().int().min(1).default(600),
      block_seconds: z.number().int().min(1).default(900),
    }).strict().default({ unknown_macs: 8, window_seconds: 600, block_seconds: 900 }),
    auth: z.object({
      realm: z.string().default('provd'),
      folders: z.array(folderAuth).default([]),
    }).strict().default({ realm: 'provd', folders: [] }),
  }).strict().default({
    allowed_networks: [
      '127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16',
      '169.254.0.0/16', '100.64.0.0/10', 'fc00::/7', 'fe80::/10',
    ],
    secret_files: 'named',
    scanner: { unknown_macs: 8, window_seconds: 600, block_seconds: 900 },
    auth: { realm: 'provd', folders: [] },
  }),
  uploads: z.object({
    /** Largest file a phone may upload (PUT/STOR/WRQ). */
    max_bytes: z.number().int().min(1).max(64 * 1024 * 1024).default(512 * 1024),
  }).strict().default({ max_bytes: 512 * 1024 }),
  ledger: z.object({
    /** Records older than this are pruned (daily and at start). */
    retention_days: z.number().int().min(1).default(90),
  }).strict().default({ retention_days: 90 }),
  /** DHCP option helper (issue 6): off unless enabled; see docs/dhcp.md. */
  dhcp: dhcpSchema.default(DHCP_DEFAULTS),
  log: z.object({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  }).strict().default({ level: 'info' }),
}).strict();

export type Config = z.infer<typeof configSchema>;
