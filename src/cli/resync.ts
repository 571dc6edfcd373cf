/**
 * `provd resync`: asks the running daemon (its admin API, found through the state folder) to
 * resync devices, then follows the run until it ends, printing each wave and every device's
 * result. The token comes from the environment or the tokens file, never from argv.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { ResyncRun } from '../resync/types.js';
import type { CliIo } from './io.js';
import type { ResyncArgs } from './resync-args.js';
import { ADMIN_RUNTIME_FILE } from './serve-admin.js';
import { configOrReport, type ConfigArgs } from './setup.js';

const POLL_MS = 500;

export async function resync(args: ConfigArgs & { resync: ResyncArgs; json: boolean }, io: CliIo): Promise<number> {
  const config = configOrReport(args, io);
  if (!config) return 1;
  const fail = (msg: string): number => {
    io.stderr.write(`provd resync: ${msg}\n`);
    return 1;
  };
  const base = adminBase(config);
  if (!base) return fail(`no running daemon with an admin API found (${join(config.state_dir, ADMIN_RUNTIME_FILE)} is missing)`);
  const token = adminToken(config, io.env);
  if (!token) return fail(`no admin token: set ${config.admin.token_env} or give admin.tokens_file a token with the resync scope`);
  const a = args.resync;
  const body = {
    ...(a.macs.length > 0 && { macs: a.macs }),
    ...(a.pending && { pending: true }),
    ...(a.site !== undefined && { site: a.site }),
    ...(a.model !== undefined && { model: a.model }),
    ...(a.reboot && { reboot: true }),
    ...(a.rate !== undefined && { rate: a.rate }),
    ...(a.waves && { waves: a.waves }),
  };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let res: Response;
  try {
    res = await fetch(`${base}/api/resync`, { method: 'POST', headers, body: JSON.stringify(body) });
  } catch (err) {
    return fail(`cannot reach the daemon at ${base}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const answer = (await res.json().catch(() => ({}))) as { error?: string; problems?: unknown[] } & Partial<ResyncRun>;
  if (res.status !== 202) {
    const problems = (answer.problems ?? []).map((p) => (typeof p === 'string' ? p : JSON.stringify(p)));
    return fail(`${res.status} ${answer.error ?? ''}${problems.length > 0 ? `: ${problems.join('; ')}` : ''}`);
  }
  let run = answer as ResyncRun;
  io.stderr.write(`resync ${run.id}: ${run.devices.length} devices in ${run.waves.length} waves at ${run.ratePerSecond}/s\n`);
  const told = new Set<string>();
  for (;;) {
    for (const w of run.waves) {
      const key = `${w.index}:${w.state}`;
      if (w.state !== 'waiting' && !told.has(key)) {
        told.add(key);
        io.stderr.write(`wave ${w.index} (${w.size}): ${w.state.replace('_', ' ')}${w.missing.length > 0 ? `; did not fetch: ${w.missing.join(' ')}` : ''}\n`);
      }
    }
    if (run.state !== 'running') break;
    await new Promise((r) => setTimeout(r, POLL_MS));
    const next = await fetch(`${base}/api/resync/${encodeURIComponent(run.id)}`, { headers });
    if (!next.ok) return fail(`lost the run: ${next.status}`);
    run = (await next.json()) as ResyncRun;
  }
  if (args.json) io.stdout.write(`${JSON.stringify(run)}\n`);
  else {
    io.stdout.write('MAC           WAVE  STATUS      SIP  ADDRESS\n');
    for (const d of run.devices) {
      io.stdout.write(`${d.mac}  ${String(d.wave).padStart(4)}  ${d.status.padEnd(10)}  ${String(d.sipCode ?? '-').padStart(3)}  ${d.address ?? '-'}${d.message ? `  ${d.message}` : ''}\n`);
    }
  }
  if (run.state === 'stopped') io.stderr.write(`resync stopped: ${run.stopReason ?? ''}\n`);
  return run.state === 'done' ? 0 : 1;
}

function adminBase(config: Readonly<Config>): string | undefined {
  try {
    const saved = JSON.parse(readFileSync(join(config.state_dir, ADMIN_RUNTIME_FILE), 'utf8')) as { address?: string; port?: number };
    if (typeof saved.port !== 'number') return undefined;
    const any = saved.address === undefined || saved.address === '0.0.0.0' || saved.address === '::';
    const host = any ? '127.0.0.1' : saved.address!.includes(':') ? `[${saved.address}]` : saved.address!;
    return `http://${host}:${saved.port}`;
  } catch {
    return undefined;
  }
}

/** The env token, else the first tokens-file token with the resync scope. */
function adminToken(config: Readonly<Config>, env: CliIo['env']): string | undefined {
  const fromEnv = env[config.admin.token_env];
  if (fromEnv) return fromEnv;
  if (!config.admin.tokens_file) return undefined;
  let text: string;
  try {
    text = readFileSync(config.admin.tokens_file, 'utf8');
  } catch {
    return undefined;
  }
  for (const raw of text.split(/\r?\n/)) {
    const [token, scopes = ''] = raw.trim().split(/\s+/);
    if (token && !token.startsWith('#') && scopes.split(',').includes('resync')) return token;
  }
  return undefined;
}
