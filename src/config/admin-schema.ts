/**
 * The `admin:` section: the admin listener, its tokens, the SIP NOTIFY sender and the scheduled
 * jobs. Kept in its own file so the owner of the section edits it without touching schema.ts.
 */
import { Cron } from 'croner';
import { z } from 'zod';

const port = z.number().int().min(0).max(65535);

/** A cron expression, checked by the same parser the scheduler uses (jobs/scheduler.ts). */
const cron = z.string().min(1).refine((s) => {
  if (!/^\S+(\s+\S+){4,5}$/.test(s.trim())) return false;
  try {
    new Cron(s, { paused: true });
    return true;
  } catch {
    return false;
  }
}, 'expected a cron expression with 5 or 6 fields, e.g. "0 3 * * *"');

const timeZone = z.string().min(1).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone such as UTC or Europe/Berlin');

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day as HH:MM');

export const adminSchema = z.object({
  /**
   * The listener starts when enabled and at least one token is configured: without a token there
   * is nobody it could let in, so it does not bind at all.
   */
  enabled: z.boolean().default(true),
  bind: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  port: port.default(8081),
  /**
   * A file of tokens, one a line: `<token> [scope,scope...]`. Scopes: `read` (implied), `resync`,
   * `jobs`, `secrets` (unmasked render preview). Lines starting with # are comments.
   */
  tokens_file: z.string().min(1, 'must not be empty').optional(),
  /** Environment variable holding one more token, with scopes read,resync,jobs (never secrets). */
  token_env: z.string().min(1).default('PROVD_ADMIN_TOKEN'),
  notify: z.object({
    /** SIP port NOTIFYs go to when the device has no `sip_port` variable. */
    port: port.default(5060),
    /**
     * `udp`: every NOTIFY over UDP (what phones accept from anyone on the LAN). `line`: over the
     * line's own transport when it is tcp or tls (phones that listen for SIP only there).
     */
    transport: z.enum(['udp', 'line']).default('udp'),
    /** SIP port for lines that register over TLS (the device variable `sip_port` overrides it). */
    tls_port: port.default(5061),
    /** RFC 3261 T1 (ms): first retransmit interval over UDP; the transaction times out at 64*T1. */
    t1_ms: z.number().int().min(10).max(5000).default(500),
    /** Default rate of a resync, NOTIFYs per second. */
    rate_per_second: z.number().min(0.1).max(1000).default(10),
    /** How long a wave waits for its phones to fetch before it stops and reports them. */
    wave_timeout_seconds: z.number().int().min(1).max(86400).default(300),
  }).strict().prefault({}),
  jobs: z.object({
    /** IANA time zone the schedules are read in. */
    timezone: timeZone.default('UTC'),
    retention: cron.default('17 3 * * *'),
    render_check: cron.default('47 4 * * *'),
    nightly_resync: z.object({
      enabled: z.boolean().default(false),
      schedule: cron.default('0 2 * * *'),
      /** NOTIFYs are sent only while the local time is inside [from, until). */
      from: hhmm.default('02:00'),
      until: hhmm.default('05:00'),
    }).strict().prefault({}),
    remote_inventory: z.object({
      /** HTTPS URL of an inventory YAML; absent: the job is not scheduled. */
      url: z.string().url().refine((u) => u.startsWith('https://'), 'expected an https:// URL').optional(),
      /**
       * Where the downloaded copy is written; default `remote.yaml` inside the inventory folder,
       * where the watcher picks it up like any other inventory file.
       */
      file: z.string().min(1).optional(),
      schedule: cron.default('*/15 * * * *'),
      timeout_seconds: z.number().int().min(1).max(600).default(30),
    }).strict().prefault({}),
  }).strict().prefault({}),
}).strict();

export type AdminConfig = z.infer<typeof adminSchema>;


