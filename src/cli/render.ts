/**
 * `provd render <mac> <file>`: the exact bytes this phone would get for this name (generated,
 * its stored upload, or a static file), to stdout; the MD5 to stderr. URLs inside use the
 * configured ports (a daemon started on port 0 writes the ports it bound instead).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Mac } from '../core/mac.js';
import { isRejected, parseRequestPath } from '../core/safe-path.js';
import { StaticRoot } from '../store/static-files.js';
import { DiskUploadStore } from '../store/uploads.js';
import type { CliIo } from './io.js';
import { cliSnapshot, type ConfigArgs } from './setup.js';
import { sheet } from './sheet.js';

export async function render(args: ConfigArgs & { mac: Mac; file: string; resolveIps?: boolean }, io: CliIo): Promise<number> {
  // `sheet` is not a file a phone asks for: the settings sheet of a hand-configured video endpoint.
  if (args.file === 'sheet') return sheet(args, io);
  if (args.resolveIps) {
    io.stderr.write('provd render: --resolve-ips applies to `sheet` only (phone files are rendered as the phone gets them)\n');
    return 1;
  }
  const path = parseRequestPath(args.file);
  if (isRejected(path)) {
    io.stderr.write(`provd render: ${args.file} is not a valid file name (${path.rejected})\n`);
    return 1;
  }
  const loaded = await cliSnapshot(args, io, 'render', args.mac);
  if (!loaded) return 1;
  const { config, engines, snapshot } = loaded;

  let body: Buffer | undefined;
  const entry = snapshot.catalog.lookup(path.basename);
  if (entry) {
    if (entry.mac && entry.mac !== args.mac) {
      io.stderr.write(`provd render: ${entry.name} belongs to device ${entry.mac}, not ${args.mac}\n`);
      return 1;
    }
    if (!entry.file) {
      io.stderr.write(`provd render: ${entry.name} cannot be rendered: ${entry.error ?? 'unknown error'}\n`);
      return 1;
    }
    body = entry.file.body;
  } else {
    const upload = engines.registry.all().map((v) => v.matchUpload(path.basename)).find((u) => u !== undefined);
    if (upload && upload.mac === args.mac) body = (await new DiskUploadStore(config.state_dir).read(upload.mac, upload.name))?.body;
    if (!body) {
      const file = await new StaticRoot(config.root).find(path);
      if (file) body = await readFile(file.absPath);
    }
  }
  if (!body) {
    io.stderr.write(`provd render: ${args.file}: a phone would get "not found"\n`);
    return 1;
  }
  io.stdout.write(body);
  io.stderr.write(`md5 ${createHash('md5').update(body).digest('hex')}\n`);
  return 0;
}
