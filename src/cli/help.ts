/**
 * Help text for `provd` and each subcommand. The flag tables here are also what the argument
 * parser accepts, so help and parser cannot disagree.
 */
import { OVERRIDES } from '../config/overrides.js';

export type CommandName = 'serve' | 'check' | 'render' | 'import' | 'ledger' | 'status' | 'logs' | 'dhcp' | 'hash-password' | 'resync' | 'backup';

export interface FlagSpec {
  /** Long name without dashes. */
  readonly name: string;
  /** Placeholder when the flag takes a value; absent for a switch. */
  readonly metavar?: string;
  readonly help: string;
}

export interface CommandSpec {
  readonly name: CommandName;
  readonly purpose: string;
  /** Positional arguments in order; `optional` ones may be left out. */
  readonly positionals: readonly { readonly name: string; readonly optional?: boolean; readonly help: string; readonly variadic?: boolean }[];
  /** Flags of this command besides --config, the overrides and --help. */
  readonly flags: readonly FlagSpec[];
  readonly examples: readonly string[];
}

/** Flags every subcommand accepts (besides --help). */
export const COMMON_FLAGS: readonly FlagSpec[] = [
  { name: 'config', metavar: 'FILE', help: 'config file (default: the embedded config/provd.yaml)' },
  ...OVERRIDES.map((o) => ({ name: o.flag, metavar: o.metavar, help: o.help })),
];

/** Every subcommand, in the order the top-level help lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'serve',
    purpose: 'Run the daemon: serve generated and static files, record every fetch.',
    positionals: [],
    flags: [],
    examples: ['provd serve --config /etc/provd/provd.yaml', 'PROVD_HTTP_PORT=0 provd serve --state-dir /tmp/provd'],
  },
  {
    name: 'check',
    purpose: 'Validate config and inventory; print every problem with file and line, exit 1 on any.',
    positionals: [],
    flags: [],
    examples: ['provd check --config /etc/provd/provd.yaml'],
  },
  {
    name: 'render',
    purpose: 'Write to stdout exactly the bytes a phone would get for a file, and their MD5 to stderr.',
    positionals: [
      { name: 'mac', help: 'the phone\'s MAC address, in any notation (001565f429a4, 00:15:65:F4:29:A4...)' },
      { name: 'file', help: 'the file name the phone asks for, e.g. 001565f429a4.cfg or T46U/001565f429a4.boot; `sheet` for a video endpoint\'s settings sheet' },
    ],
    flags: [{ name: 'resolve-ips', help: 'sheet: write proxy host names as the IPv4 addresses they resolve to now' }],
    examples: ['provd render 00:15:65:f4:29:a4 001565f429a4.cfg > phone.cfg', 'provd render 00:04:f2:0a:0b:0c sheet --resolve-ips'],
  },
  {
    name: 'import',
    purpose: 'Turn a spreadsheet export (CSV, one row per account line) into inventory YAML.',
    positionals: [
      { name: 'devices.csv', help: 'columns: mac,vendor,model,profile,site,line,user,auth_id,password,display_name,label,sip_domain,outbound_proxy' },
    ],
    flags: [{ name: 'out', metavar: 'FILE', help: 'write the inventory YAML to FILE instead of stdout' }],
    examples: ['provd import phones.csv --out config/inventory/phones.yaml'],
  },
  {
    name: 'ledger',
    purpose: 'List recorded fetches, newest first.',
    positionals: [],
    flags: [
      { name: 'mac', metavar: 'MAC', help: 'only fetches by this device' },
      { name: 'since', metavar: 'ISO', help: 'only fetches at or after this time: 2024-05-01 (UTC) or 2024-05-01T08:00:00Z / +02:00' },
      { name: 'limit', metavar: 'N', help: 'at most N records (1 to 1000000)' },
      { name: 'json', help: 'one JSON object per line instead of a table' },
    ],
    examples: ['provd ledger --mac 001565f429a4 --since 2024-05-01 --limit 20'],
  },
  {
    name: 'status',
    purpose: 'Per device and file: does the phone have today\'s render? never, current or pending.',
    positionals: [{ name: 'MAC', optional: true, help: 'only this device' }],
    flags: [{ name: 'json', help: 'one JSON object per line instead of a table' }],
    examples: ['provd status', 'provd status 00:15:65:f4:29:a4 --json'],
  },
  {
    name: 'logs',
    purpose: 'Show what a phone sent to the syslog receiver, or per device: messages and registration failures.',
    positionals: [{ name: 'MAC', optional: true, help: 'the device whose log to show' }],
    flags: [
      { name: 'follow', help: 'keep printing new lines as they arrive (Ctrl-C to stop)' },
      { name: 'lines', metavar: 'N', help: 'print the last N lines first (default 100; 0 with --follow: only new ones)' },
      { name: 'summary', help: 'per device: messages, registration failures by SIP status (401/403/404/408)' },
      { name: 'unattributed', help: 'messages from addresses no device was seen at, instead of one device\'s' },
      { name: 'json', help: 'with --summary: one JSON object per line' },
    ],
    examples: ['provd logs 00:15:65:f4:29:a4 --follow', 'provd logs --summary', 'provd logs --unattributed --lines 20'],
  },
  {
    name: 'backup',
    purpose: 'Copy the fetch ledger to a file, consistently, while the daemon runs (restore: stop, replace, start).',
    positionals: [],
    flags: [{ name: 'out', metavar: 'FILE', help: 'where to write the copy (replaced atomically; its folder must exist)' }],
    examples: ['provd backup --config /etc/provd/provd.yaml --out /var/backups/provd-ledger.sqlite'],
  },
  {
    name: 'dhcp',
    purpose: 'Print the DHCP options phones need as config for your own DHCP server.',
    positionals: [{ name: 'snippet', help: 'the only action: print a configuration snippet' }],
    flags: [{ name: 'for', metavar: 'SERVER', help: 'isc, kea, dnsmasq, mikrotik, windows or opnsense' }],
    examples: ['provd dhcp snippet --for dnsmasq > /etc/dnsmasq.d/phones.conf', 'provd dhcp snippet --for kea --public-host 10.0.0.2'],
  },
  {
    name: 'hash-password',
    purpose: 'Read a password from stdin (first line) and print its scrypt hash for ftp.users[].password_hash.',
    positionals: [],
    flags: [],
    examples: ['provd hash-password < password.txt   # or: printf %s "$PW" | provd hash-password'],
  },
  {
    name: 'resync',
    purpose: 'Make phones fetch now: SIP NOTIFY through the running daemon, rate-limited, in waves.',
    positionals: [{ name: 'MAC...', optional: true, variadic: true, help: 'devices to resync (or use --pending, --site, --model)' }],
    flags: [
      { name: 'pending', help: 'only devices whose files changed since they last fetched them' },
      { name: 'site', metavar: 'S', help: 'only devices of this site' },
      { name: 'model', metavar: 'M', help: 'only devices of this model' },
      { name: 'reboot', help: "send the vendor's reboot event instead of resync" },
      { name: 'rate', metavar: 'N/s', help: 'NOTIFYs per second (default: admin.notify.rate_per_second)' },
      { name: 'wave', metavar: 'LIST', help: 'wave sizes, e.g. 1,5,25,100 (the last repeats); each waits for the previous to fetch' },
      { name: 'json', help: 'print the final run as JSON' },
    ],
    examples: ['provd resync --pending --wave 1,5,25,100 --rate 5/s', 'provd resync 805ec0d57d72 --reboot'],
  },
];

/** The spec of `name`, or undefined for an unknown command. */
export function commandSpec(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** One usage line: `provd render <mac> <file> [options]`. */
export function usageLine(spec: CommandSpec): string {
  const pos = spec.positionals.map((p) => (p.optional ? `[${p.name}]` : `<${p.name}>`));
  return ['provd', spec.name, ...pos, '[options]'].join(' ');
}

/** Full help for one subcommand: purpose, usage, every flag with its PROVD_* variable, examples. */
export function commandHelp(spec: CommandSpec): string {
  const lines = [`provd ${spec.name}: ${spec.purpose}`, '', `Usage: ${usageLine(spec)}`];
  if (spec.positionals.length > 0) {
    lines.push('', 'Arguments:', ...table(spec.positionals.map((p) => [p.optional ? `[${p.name}]` : `<${p.name}>`, p.help])));
  }
  const own = [...spec.flags, { name: 'help', help: 'show this help' }];
  lines.push('', 'Options:', ...table(own.map((f) => [flagLabel(f), f.help])));
  const config = COMMON_FLAGS[0] as FlagSpec;
  lines.push(
    '',
    'Configuration (a flag beats its environment variable, which beats the config file):',
    ...table([
      [flagLabel(config), `${config.help}; env PROVD_CONFIG`],
      ...OVERRIDES.map((o) => [`--${o.flag} ${o.metavar}`, `${o.help}; env ${o.env}`] as const),
    ]),
    '',
    spec.examples.length > 1 ? 'Examples:' : 'Example:',
    ...spec.examples.map((e) => `  ${e}`),
  );
  return lines.join('\n') + '\n';
}

/** Help for `provd` itself: the subcommands and where to get more. */
export function topHelp(): string {
  return [
    'provd: provisioning daemon for IP phones. One inventory, per-vendor templates, files over',
    'HTTP(S), and a ledger of every fetch.',
    '',
    'Usage: provd <command> [arguments] [options]',
    '',
    'Commands:',
    ...table(COMMANDS.map((c) => [c.name, c.purpose])),
    '',
    'Options:',
    ...table([['--help, -h', 'show this help'], ['--version', 'print the version']]),
    '',
    'Run `provd help <command>` or `provd <command> --help` for its arguments and options.',
    'Example: provd serve --config /etc/provd/provd.yaml',
  ].join('\n') + '\n';
}

function flagLabel(f: FlagSpec): string {
  return f.metavar === undefined ? `--${f.name}` : `--${f.name} ${f.metavar}`;
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}
