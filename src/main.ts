/**
 * Composition root: argv and environment in, exit status out. The only module that reads
 * `process` or decides the exit code.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommandLine } from './cli/args.js';
import { backup } from './cli/backup.js';
import { check } from './cli/check.js';
import { dhcpSnippet } from './cli/dhcp.js';
import { importDevices } from './cli/import.js';
import type { CliIo } from './cli/io.js';
import { ledger } from './cli/ledger.js';
import { logs } from './cli/logs.js';
import { render } from './cli/render.js';
import { resync } from './cli/resync.js';
import { serve } from './cli/serve.js';
import { status } from './cli/status.js';
import { hashPasswordCommand } from './cli/hash-password.js';

/** The package folder: dist/src/main.js sits two levels below it. */
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function version(): string {
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: readonly string[]): Promise<void> {
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    defaultConfig: join(packageDir, 'config', 'provd.yaml'),
    pid: process.pid,
    memoryUsage: () => process.memoryUsage(),
  };
  const cmd = parseCommandLine(argv);
  switch (cmd.command) {
    case 'error':
      io.stderr.write(`provd: ${cmd.error}\n\n${cmd.usage}\n`);
      process.exitCode = 2;
      return;
    case 'help':
      io.stdout.write(cmd.text.endsWith('\n') ? cmd.text : `${cmd.text}\n`);
      return;
    case 'version':
      io.stdout.write(`provd ${version()}\n`);
      return;
    case 'check':
      process.exitCode = await check(cmd, io);
      return;
    case 'render':
      process.exitCode = await render(cmd, io);
      return;
    case 'import':
      process.exitCode = await importDevices(cmd, io);
      return;
    case 'ledger':
      process.exitCode = await ledger(cmd, io);
      return;
    case 'status':
      process.exitCode = await status(cmd, io);
      return;
    case 'logs':
      process.exitCode = await logs(cmd, io);
      return;
    case 'dhcp':
      process.exitCode = await dhcpSnippet(cmd, io);
      return;
    case 'backup':
      process.exitCode = await backup(cmd, io);
      return;
    case 'hash-password':
      process.exitCode = await hashPasswordCommand(io);
      return;
    case 'resync':
      process.exitCode = await resync(cmd, io);
      return;
    case 'serve': {
      const daemon = await serve(cmd, io);
      if (!daemon) {
        process.exitCode = 1;
        return;
      }
      process.on('SIGHUP', () => void daemon.reload());
      const shutdown = () => {
        void daemon.stop().then(() => process.exit(0));
      };
      process.once('SIGTERM', shutdown);
      process.once('SIGINT', shutdown);
      return;
    }
  }
}
