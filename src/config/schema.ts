/**
 * The daemon's configuration. The zod schema is the type: every field, its default and its
 * validation live here once. Paths are resolved against the config file's folder by load.ts.
 */
import { z } from 'zod';
import { addressBlockProblems } from '../core/net.js';
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
  /** Reserved for the TFTP server (its own issue); validated so configs written today keep working. */
  tftp: z.object({
    enabled: z.boolean().default(false),
    bind: z.string().optional(),
    port: port.default(6969),
  }).strict().default({ enabled: false, port: 6969 }),
  /** Reserved for the FTP server (its own issue). */
  ftp: z.object({
    enabled: z.boolean().default(false),
    bind: z.string().optional(),
    port: port.default(2121),
  }).strict().default({ enabled: false, port: 2121 }),
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
     * - `auth`: the device's own HTTP credentials (inventory `auth`) are required.
     */
    secret_files: z.enum(['named', 'user-agent', 'user-agent-required', 'auth']).default('named'),
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
  log: z.object({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  }).strict().default({ level: 'info' }),
}).strict();

export type Config = z.infer<typeof configSchema>;
