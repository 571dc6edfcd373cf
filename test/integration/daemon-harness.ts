/**
 * Starts the built daemon (dist/) as a real process on port 0 with its own folder: config,
 * inventory copied from the example, a static root and a state folder. Tests talk to it with curl
 * and read its JSON log lines and its CLI, exactly as an admin's scripts would.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(REPO, 'dist', 'src', 'cli', 'bin.js');

export interface LogLine {
  readonly msg?: string;
  readonly channel?: string;
  readonly [key: string]: unknown;
}

export interface Daemon {
  readonly dir: string;
  readonly port: number;
  readonly base: string;
  readonly config: string;
  readonly logs: LogLine[];
  /** Resolves with the first log line (already seen or upcoming) that matches. */
  waitForLog(match: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Sends a signal to the daemon process. */
  signal(sig: NodeJS.Signals): void;
  /** Runs `provd <args> --config <this daemon's config>`. */
  cli(args: readonly string[]): Promise<{ stdout: string; stderr: string; code: number }>;
  stop(): Promise<void>;
}

export interface DaemonOptions {
  /** Extra YAML appended to the generated config. */
  readonly extraConfig?: string;
  /** Called with the folder before the daemon starts (add static files, edit the inventory). */
  readonly prepare?: (dir: string) => void;
  /** Run the daemon inside this network namespace (`ip netns exec`), for the DHCP tests. */
  readonly netns?: string;
  /** `public_host` of the config (127.0.0.1 unless given). */
  readonly publicHost?: string;
}

export async function startDaemon(opts: DaemonOptions = {}): Promise<Daemon> {
  const dir = mkdtempSync(join(tmpdir(), 'provd-it-'));
  cpSync(join(REPO, 'config', 'inventory'), join(dir, 'inventory'), { recursive: true });
  mkdirSync(join(dir, 'root'), { recursive: true });
  const config = join(dir, 'provd.yaml');
  writeFileSync(
    config,
    [
      `public_host: ${opts.publicHost ?? '127.0.0.1'}`,
      'http:',
      '  port: 0',
      'state_dir: ./var',
      'root: ./root',
      'inventory: ./inventory',
      'templates:',
      `  shipped: ${JSON.stringify(join(REPO, 'templates'))}`,
      '  override: ./templates.local',
      opts.extraConfig ?? '',
    ].join('\n'),
  );
  opts.prepare?.(dir);

  const argv = [process.execPath, BIN, 'serve', '--config', config];
  const [cmd, ...args] = opts.netns ? ['ip', 'netns', 'exec', opts.netns, ...argv] : argv;
  const child: ChildProcess = spawn(cmd!, args, {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const waiters: { match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return;
    }
    logs.push(line);
    for (const w of [...waiters]) {
      if (w.match(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

  const waitForLog = (match: (l: LogLine) => boolean, timeoutMs = 10_000): Promise<LogLine> => {
    const seen = logs.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
      waiters.push({
        match,
        resolve: (l) => {
          clearTimeout(timer);
          resolvePromise(l);
        },
      });
    });
  };

  const ready = await Promise.race([
    waitForLog((l) => l.msg === 'ready', 20_000),
    exited.then((code) => {
      throw new Error(`daemon exited with ${code} before ready: ${stderr}`);
    }),
  ]);
  void ready;
  const listening = await waitForLog((l) => l.msg === 'listening' && l.protocol === 'http');
  const port = Number(listening.port);

  return {
    dir,
    port,
    base: `http://127.0.0.1:${port}`,
    config,
    logs,
    waitForLog,
    signal(sig) {
      child.kill(sig);
    },
    async cli(args) {
      try {
        const { stdout, stderr: err } = await execFileP(process.execPath, [BIN, ...args, '--config', config], { cwd: dir });
        return { stdout, stderr: err, code: 0 };
      } catch (e) {
        const x = e as { stdout?: string; stderr?: string; code?: number };
        return { stdout: x.stdout ?? '', stderr: x.stderr ?? '', code: typeof x.code === 'number' ? x.code : 1 };
      }
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

export interface CurlResult {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** Runs the real curl binary and returns status, headers (lower-cased names) and body bytes. */
export async function curl(args: readonly string[]): Promise<CurlResult> {
  const dir = mkdtempSync(join(tmpdir(), 'provd-curl-'));
  const headerFile = join(dir, 'h');
  const bodyFile = join(dir, 'b');
  const { stdout } = await execFileP('curl', ['-s', '-g', '--path-as-is', '-D', headerFile, '-o', bodyFile, '-w', '%{http_code}', ...args]);
  const { readFileSync, existsSync } = await import('node:fs');
  const headers: Record<string, string> = {};
  const raw = existsSync(headerFile) ? readFileSync(headerFile, 'utf8') : '';
  // With 100-continue or auth retries curl writes several header blocks; keep the last.
  const blocks = raw.split(/\r\n\r\n/).filter((b) => b.trim() !== '');
  for (const line of (blocks.at(-1) ?? '').split('\r\n').slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(stdout), headers, body: existsSync(bodyFile) ? readFileSync(bodyFile) : Buffer.alloc(0) };
}

/** Polls until `check` returns a value (the ledger is written in batches within ~200 ms). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
