/**
 * The inventory input format (YAML files; docs/inventory.md). Strict objects everywhere: a
 * misspelt key is an error, never silently ignored. Sections are validated item by item
 * (loader) so one bad device does not hide the problems of the others.
 */
import { z } from 'zod';
import { parseMac } from '../core/mac.js';
import { RESERVED_VARIABLES } from '../render/context.js';
import { parseHostPort } from './hostport.js';
import { parseIpv4 } from '../dhcp/options.js';

// Account fields end up inside vendor config files line by line; a line break in a password would
// inject extra settings, so control characters are refused here rather than escaped per vendor.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A non-empty single-line string. */
const text = z
  .string()
  .min(1, 'must not be empty')
  .refine((s) => !CONTROL.test(s), 'must not contain line breaks or control characters');

/** Names of sites and profiles (also used as references). */
export const nameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'names use letters, digits, ".", "_" and "-", starting with a letter or digit');

const label = text;

const hostPort = z.string().transform((s, ctx) => {
  const parsed = parseHostPort(s);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  }
  return parsed;
});

const mac = z.string().transform((s, ctx) => {
  const parsed = parseMac(s);
  if (parsed === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${s}" is not a MAC address (12 hex digits in any usual notation, e.g. 80:5e:c0:d5:7d:72)` });
    return z.NEVER;
  }
  return parsed;
});

/** `$PN` folder: one path segment, no traversal. */
const pn = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'a $PN folder is one path segment of letters, digits, ".", "_" and "-"');

const RESERVED: ReadonlySet<string> = new Set(RESERVED_VARIABLES);

/** Template variables; top-level names may not shadow what templates rely on. */
const vars = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  for (const key of Object.keys(value)) {
    if (RESERVED.has(key)) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        params: { at: 'key' },
        message: `this variable name is reserved for templates (reserved: ${RESERVED_VARIABLES.join(', ')})`,
      });
    }
  }
});

/** Account variables live under `accounts[n].vars` in templates, so nothing can clash there. */
const accountVars = z.record(z.string(), z.unknown());

export const transportSchema = z.enum(['udp', 'tcp', 'tls', 'dns-srv']);
export const srtpSchema = z.enum(['off', 'optional', 'required']);
export const dnsModeSchema = z.enum(['a', 'srv', 'naptr']);
export const dnsFailoverSchema = z.enum(['default', 'saved_until_ttl', 'saved_until_no_response', 'failback_timer']);

/** Settings a profile can default and an account can override. */
const sharedAccountFields = {
  registrar: hostPort.optional(),
  outbound_proxy: hostPort.optional(),
  transport: transportSchema.optional(),
  srtp: srtpSchema.optional(),
  expires: z.number().int().min(1).max(2_147_483_647).optional(),
  dns_mode: dnsModeSchema.optional(),
  dns_failover: dnsFailoverSchema.optional(),
  session_timer: z.boolean().optional(),
};

export const profileAccountSchema = z.strictObject({
  ...sharedAccountFields,
  /**
   * What an account without its own `auth_id` gets: `same_as_user` (the default) or `required`
   * (an error, for services where the two differ, such as Zoom).
   */
  auth_id: z.enum(['same_as_user', 'required']).optional(),
});

export const accountSchema = z.strictObject({
  line: z.number().int().min(1).optional(),
  user: text.optional(),
  auth_id: text.optional(),
  password: text.optional(),
  display_name: text.optional(),
  label: text.optional(),
  ...sharedAccountFields,
  vars: accountVars.nullish(),
});

export const matchSchema = z.strictObject({
  vendor: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  site: nameSchema.optional(),
  labels: z.array(label).min(1).optional(),
});

/**
 * Encrypted configs (docs/inventory.md "Encryption"). Keys are checked against the device's vendor
 * format when devices resolve, so only the shape is checked here.
 */
export const encryptionSchema = z.strictObject({
  /** False on a device turns off encryption its profile asks for. */
  enabled: z.boolean().optional(),
  key: z.string().min(1, 'must not be empty').optional(),
  mac_key: z.string().min(1, 'must not be empty').optional(),
  key_in_file: z.boolean().optional(),
});

export const profileSchema = z.strictObject({
  description: z.string().optional(),
  match: matchSchema.optional(),
  account: profileAccountSchema.nullish(),
  encryption: encryptionSchema.optional(),
  vars: vars.nullish(),
});

export const siteSchema = z.strictObject({
  description: z.string().optional(),
  vars: vars.nullish(),
});

export const deviceAuthSchema = z.strictObject({ user: text, password: text });

export const deviceSchema = z.strictObject({
  mac,
  vendor: z.string().min(1).optional(),
  model: z.string().min(1),
  pn: pn.optional(),
  site: nameSchema.optional(),
  profile: nameSchema.optional(),
  labels: z.array(label).nullish(),
  auth: deviceAuthSchema.optional(),
  encryption: encryptionSchema.optional(),
  /** Fixed IPv4 address: a reservation when provd's DHCP helper runs in server mode. */
  ip: z.string().refine((s) => parseIpv4(s) !== undefined, 'expected an IPv4 address such as 192.168.1.20').optional(),
  vars: vars.nullish(),
  accounts: z.array(accountSchema).nullish(),
});

export const defaultsSchema = z.strictObject({ vars: vars.nullish() });

/** A served folder (`act/sales`): plain path segments, no traversal, no empty segment. */
export const folderSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/,
    'a folder is one or more path segments of letters, digits, ".", "_" and "-", separated by "/" (e.g. act/sales)',
  )
  .refine((f) => !f.split('/').includes('..'), 'a folder may not contain ".."');

/**
 * One Yealink activation code (`static.autoprovision.X.*`, vendors.md §2.4): the user dials
 * `code` and the phone provisions from `folder` with `user`/`password`.
 */
export const activationSchema = z.strictObject({
  name: text,
  code: z.string().regex(/^[0-9*#]{1,32}$/, 'an activation code is 1-32 of the digits 0-9, "*" and "#"'),
  folder: folderSchema,
  user: text,
  password: text,
  /** Write user and password into the shared common file; default false: the phone prompts. */
  send_credentials: z.boolean().optional(),
});

/** A Yealink PIN file (`$pin.cfg`, vendors.md §2.4): a device's settings without a MAC. */
export const pinSchema = z.strictObject({
  /** The activation folder it is served in (and whose credentials protect it). */
  folder: folderSchema,
  vendor: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  profile: nameSchema.optional(),
  vars: vars.nullish(),
  accounts: z.array(accountSchema).nullish(),
});

/** PIN names as the phone sends them: letters and digits (`A31`). */
export const pinNameSchema = z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'a PIN is 1-32 letters and digits (e.g. A31)');

/** One file's top level; the sections' items are checked one by one with the schemas above. */
export const fileSchema = z.strictObject({
  defaults: defaultsSchema.nullish(),
  // Names are checked per item (loader) so one bad name does not reject the whole section.
  sites: z.record(z.string(), z.unknown()).nullish(),
  profiles: z.record(z.string(), z.unknown()).nullish(),
  devices: z.array(z.unknown()).nullish(),
  activation: z.array(z.unknown()).nullish(),
  pins: z.record(z.string(), z.unknown()).nullish(),
});

export type AccountInput = z.output<typeof accountSchema>;
export type ProfileAccountInput = z.output<typeof profileAccountSchema>;
export type ProfileInput = z.output<typeof profileSchema>;
export type MatchInput = z.output<typeof matchSchema>;
export type SiteInput = z.output<typeof siteSchema>;
export type DeviceInput = z.output<typeof deviceSchema>;
export type EncryptionInput = z.output<typeof encryptionSchema>;
export type ActivationInput = z.output<typeof activationSchema>;
export type PinInput = z.output<typeof pinSchema>;

/**
 * The keys allowed at a place in a file, for "unknown key" messages. `shape` is the issue path
 * with array indexes and site/profile names replaced by `*`.
 */
export function allowedKeys(shape: string): readonly string[] | undefined {
  const table: Readonly<Record<string, readonly string[]>> = {
    '': Object.keys(fileSchema.shape),
    defaults: Object.keys(defaultsSchema.shape),
    'sites.*': Object.keys(siteSchema.shape),
    'profiles.*': Object.keys(profileSchema.shape),
    'profiles.*.match': Object.keys(matchSchema.shape),
    'profiles.*.account': Object.keys(profileAccountSchema.shape),
    'devices.*': Object.keys(deviceSchema.shape),
    'devices.*.auth': Object.keys(deviceAuthSchema.shape),
    'devices.*.encryption': Object.keys(encryptionSchema.shape),
    'profiles.*.encryption': Object.keys(encryptionSchema.shape),
    'activation.*': Object.keys(activationSchema.shape),
    'pins.*': Object.keys(pinSchema.shape),
    'pins.*.accounts.*': Object.keys(accountSchema.shape),
    'devices.*.accounts.*': Object.keys(accountSchema.shape),
  };
  return table[shape];
}
