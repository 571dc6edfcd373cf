/**
 * The container image, without a Docker engine: the runtime stage's COPY lines of the Dockerfile
 * are read and carried out into a temporary folder (production dependencies only, as the build
 * stage's `npm prune --omit=dev` leaves them), and the daemon runs from that tree as an
 * unprivileged user with the image's own config, serving a phone.
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, REPO } from './daemon-harness.js';

const run = promisify(execFile);
const NOBODY = 65534;

interface Copy {
  readonly fromBuild: boolean;
  readonly source: string;
  readonly target: string;
}

/** The COPY instructions of the runtime stage, in order. */
function runtimeCopies(): { copies: Copy[]; workdir: string } {
  const lines = readFileSync(join(REPO, 'Dockerfile'), 'utf8').split('\n');
  const start = lines.findIndex((l) => /^FROM .* AS runtime$/.test(l));
  expect(start).toBeGreaterThan(0);
  let workdir = '/';
  const copies: Copy[] = [];
  for (const line of lines.slice(start + 1)) {
    const wd = /^WORKDIR (\S+)$/.exec(line);
    if (wd) workdir = wd[1]!;
    const m = /^COPY (--from=build )?(\S+) (\S+)$/.exec(line);
    if (!m) continue;
    const target = m[3]!.startsWith('/') ? m[3]! : join(workdir, m[3]!);
    copies.push({ fromBuild: m[1] !== undefined, source: m[2]!.replace(/^\/build\//, ''), target });
  }
  return { copies, workdir };
}

describe('container image runtime tree', () => {
  let root: string;
  let build: string;
  let workdir: string;

  beforeAll(async () => {
    // The build stage: the checkout's own build (dist/, node_modules/) with dev dependencies pruned.
    build = mkdtempSync(join(tmpdir(), 'provd-image-build-'));
    for (const f of ['package.json', 'package-lock.json', '.npmrc']) cpSync(join(REPO, f), join(build, f));
    cpSync(join(REPO, 'node_modules'), join(build, 'node_modules'), { recursive: true, verbatimSymlinks: true });
    cpSync(join(REPO, 'dist'), join(build, 'dist'), { recursive: true });
    await run('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], { cwd: build });

    root = mkdtempSync(join(tmpdir(), 'provd-image-root-'));
    chmodSync(root, 0o755); // mkdtemp makes it private; the image's user must reach /opt/provd
    const parsed = runtimeCopies();
    workdir = parsed.workdir;
    for (const c of parsed.copies) {
      const from = join(c.fromBuild ? build : REPO, c.source);
      const to = join(root, c.target);
      mkdirSync(dirname(to), { recursive: true });
      cpSync(from, to, { recursive: true, verbatimSymlinks: true });
    }
    // What the image's RUN line creates, and the volume a user mounts with an inventory in it.
    for (const d of ['var/lib/provd', 'srv/provd/root', 'etc/provd/templates.local']) mkdirSync(join(root, d), { recursive: true });
    cpSync(join(REPO, 'config', 'inventory'), join(root, 'etc/provd/inventory'), { recursive: true });
    chownSync(join(root, 'var/lib/provd'), NOBODY, NOBODY);
  }, 120_000);

  afterAll(() => {
    for (const d of [root, build]) if (d) rmSync(d, { recursive: true, force: true });
  });


  it('copies production dependencies only', () => {
    const modules = join(root, workdir, 'node_modules');
    expect(existsSync(join(modules, 'better-sqlite3'))).toBe(true);
    expect(existsSync(join(modules, 'pino'))).toBe(true);
    for (const dev of ['vitest', 'typescript', '@types/node']) expect(existsSync(join(modules, dev))).toBe(false);
  });

  it('runs the image ENTRYPOINT and ENV from the tree as an unprivileged user with the image config and serves a phone', async () => {
    // The image's config names absolute paths; here they live under the assembled root.
    const imageConfig = readFileSync(join(root, 'etc/provd/provd.yaml'), 'utf8');
    const config = join(root, 'etc/provd/provd.test.yaml');
    writeFileSync(
      config,
      imageConfig
        .replaceAll('/etc/provd', join(root, 'etc/provd'))
        .replaceAll('/var/lib/provd', join(root, 'var/lib/provd'))
        .replaceAll('/srv/provd', join(root, 'srv/provd')),
    );
    const bin = join(root, workdir, 'dist/src/cli/bin.js');
    // ENTRYPOINT as the image has it (node, its flags, the program), node being this one.
    const [node, ...entry] = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(readFileSync(join(REPO, 'Dockerfile'), 'utf8'))?.[1] ?? '[]') as string[];
    expect(node).toBe('node');
    const entrypoint = entry.map((a) => (a.startsWith('/') ? join(root, a) : a));
    expect(entrypoint.at(-1)).toBe(bin);
    const env = Object.fromEntries([...readFileSync(join(REPO, 'Dockerfile'), 'utf8').matchAll(/^ENV (.*)$/gm)]
      .flatMap((m) => m[1]!.split(' ').map((kv) => kv.split('=') as [string, string])));
    const check = await run(process.execPath, [...entrypoint, 'check', '--config', config]);
    expect(check.stdout).toMatch(/^ok: \d+ devices/);

    const child = spawn('setpriv', ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', '--',
      process.execPath, ...entrypoint, 'serve', '--config', config, '--http-port', '0', '--bind', '127.0.0.1', '--public-host', '127.0.0.1'],
    { cwd: '/', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ready: ${out}`)), 30_000);
        const poll = setInterval(() => {
          const m = /"protocol":"http","address":"[^"]+","port":(\d+)/.exec(out);
          if (m && out.includes('"msg":"ready"')) {
            clearInterval(poll);
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        }, 50);
        child.once('exit', (code) => {
          clearInterval(poll);
          clearTimeout(timer);
          reject(new Error(`exited ${code}: ${out}`));
        });
      });
      const res = await curl(['-A', 'Yealink SIP-T46U 108.86.0.20 80:5e:c0:d5:7d:72', `http://127.0.0.1:${port}/805ec0d57d72.boot`]);
      expect(res.status).toBe(200);
      expect(res.body.toString()).toContain('#!version:1.0.0.1');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(undefined)));
    }
  }, 60_000);
});
