/**
 * `provd logs <mac> [--follow]`: a device's syslog file as the daemon stored it (rotated files
 * first, oldest to newest), and `provd logs --summary`: per device, messages and registration
 * failures from the daemon's last health snapshot.
 */
import { existsSync, readFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mac } from '../core/mac.js';
import { HEALTH_FILE } from '../syslog/service.js';
import { LogStore, SYSLOG_DIR, UNATTRIBUTED } from '../syslog/store.js';
import type { DeviceLogHealth } from '../syslog/health.js';
import type { CliIo } from './io.js';
import { configOrReport, type ConfigArgs } from './setup.js';

export interface LogsArgs extends ConfigArgs {
  readonly mac?: Mac;
  /** Show the file of messages no device was found for. */
  readonly unattributed?: boolean;
  readonly follow: boolean;
  readonly summary: boolean;
  readonly lines: number;
  readonly json: boolean;
  /** Ends `--follow` (tests); the command line ends it with Ctrl-C. */
  readonly signal?: AbortSignal;
}

export async function logs(args: LogsArgs, io: CliIo): Promise<number> {
  const config = configOrReport(args, io);
  if (!config) return 1;
  const dir = join(config.state_dir, SYSLOG_DIR);
  if (args.summary) return summary(dir, args.json, io);
  const file = LogStore.fileName(dir, args.mac ?? UNATTRIBUTED);
  const tail = lastLines(file, args.lines, config.syslog.rotations);
  if (tail === undefined && !args.follow) {
    const whose = args.mac ? `from ${args.mac}` : 'without a device';
    io.stderr.write(`provd: no syslog messages ${whose} (${file} does not exist)${config.syslog.enabled ? '' : '; syslog.enabled is false in the config'}\n`);
    return 1;
  }
  io.stdout.write(tail ?? '');
  if (args.follow) await follow(file, io, args.signal);
  return 0;
}

/** The last `n` lines across `file.N` ... `file.1`, `file`; undefined when none exists. */
function lastLines(file: string, n: number, rotations: number): string | undefined {
  const parts: string[] = [];
  for (let i = rotations; i >= 1; i--) if (existsSync(`${file}.${i}`)) parts.push(readFileSync(`${file}.${i}`, 'utf8'));
  if (existsSync(file)) parts.push(readFileSync(file, 'utf8'));
  if (parts.length === 0) return undefined;
  if (n === 0) return '';
  const lines = parts.join('').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-n).map((l) => `${l}\n`).join('');
}

/** Prints what is appended to `file`; starts over when the daemon rotates it. */
async function follow(file: string, io: CliIo, signal: AbortSignal | undefined): Promise<void> {
  let offset = await stat(file).then((s) => s.size, () => 0);
  while (!signal?.aborted) {
    await new Promise((r) => setTimeout(r, 250));
    const size = await stat(file).then((s) => s.size, () => 0);
    if (size < offset) offset = 0; // rotated: the new file starts empty
    if (size === offset) continue;
    const fh = await open(file, 'r');
    try {
      const buf = Buffer.alloc(size - offset);
      const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
      offset += bytesRead;
      io.stdout.write(buf.subarray(0, bytesRead));
    } finally {
      await fh.close();
    }
  }
}

function summary(dir: string, json: boolean, io: CliIo): number {
  const file = join(dir, HEALTH_FILE);
  if (!existsSync(file)) {
    io.stderr.write(`provd: no syslog summary yet (${file} does not exist; the daemon writes it within seconds of the first message)\n`);
    return 1;
  }
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { time: number; devices: DeviceLogHealth[] };
  const devices = [...saved.devices].sort((a, b) => (a.mac < b.mac ? -1 : 1));
  if (json) {
    io.stdout.write(devices.map((d) => `${JSON.stringify(d)}\n`).join(''));
    return 0;
  }
  const rows = [['MAC', 'MESSAGES', 'LAST MESSAGE', '401', '403', '404', '408', 'LAST FAILURE']];
  for (const d of devices) {
    const f = d.registrationFailures;
    rows.push([
      d.mac, String(d.messages), new Date(d.lastMessage).toISOString(),
      String(f['401'] ?? 0), String(f['403'] ?? 0), String(f['404'] ?? 0), String(f['408'] ?? 0),
      d.lastFailure ? `${d.lastFailure.status} at ${new Date(d.lastFailure.time).toISOString()}` : '-',
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  io.stdout.write(rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd() + '\n').join(''));
  return 0;
}
