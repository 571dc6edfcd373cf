/**
 * `provd check`: validates config and inventory and renders every file, printing every problem
 * with its file and line. Exit status 1 on any error, so it can gate a deploy or a git hook.
 */
import { existsSync } from 'node:fs';
import { inventoryAddressProblems } from '../dhcp/check.js';
import type { CliIo } from './io.js';
import {
  configOrReport,
  configuredPorts,
  createEngines,
  folderAuth,
  formatInventoryProblem,
  makeSnapshot,
  publicHost,
  readInventory,
  serverInfo,
  type ConfigArgs,
} from './setup.js';

export async function check(args: ConfigArgs, io: CliIo): Promise<number> {
  const config = configOrReport(args, io);
  if (!config) return 1;
  let errors = 0;
  const error = (line: string) => {
    errors++;
    io.stdout.write(`${line}\n`);
  };
  for (const p of folderAuth(config, io.env).problems) error(`config: error: ${p}`);
  for (const [name, file] of [['https.cert', config.https.cert], ['https.key', config.https.key]] as const) {
    if (file && !existsSync(file)) error(`config: error: ${name} ${file} does not exist`);
  }
  if (config.security.secret_files === 'lease' && !config.dhcp.enabled) {
    error('config: error: security.secret_files is lease, but dhcp is not enabled (no lease would ever match)');
  }
  if ((config.https.cert === undefined) !== (config.https.key === undefined)) {
    error('config: error: https needs both cert and key (HTTPS stays off with only one)');
  }

  const engines = createEngines(config);
  const loaded = await readInventory(config, engines.registry);
  if (!loaded.ok) {
    for (const p of loaded.problems) {
      if (p.severity === 'error') error(formatInventoryProblem(p));
      else io.stdout.write(`${formatInventoryProblem(p)}\n`);
    }
    io.stdout.write(`${errors} error(s)\n`);
    return 1;
  }
  for (const w of loaded.warnings) io.stdout.write(`${formatInventoryProblem(w)}\n`);
  const inventory = loaded.inventory;
  for (const d of inventory.devices.values()) {
    for (const message of engines.registry.get(d.vendor)?.deviceWarnings?.(d) ?? []) {
      io.stdout.write(`${formatInventoryProblem({ file: d.source.file, line: d.source.line, severity: 'warning', message: `device ${d.mac} (${d.model}): ${message}` })}\n`);
    }
  }
  for (const p of inventoryAddressProblems(config.dhcp, inventory.devices.values())) {
    error(`${p.source.file}:${p.source.line}: error: ${p.message}`);
  }
  if (config.security.secret_files === 'auth') {
    for (const d of inventory.devices.values()) {
      if (!d.auth) error(`${d.source.file}:${d.source.line}: error: device ${d.mac} has no auth, but security.secret_files is auth`);
    }
  }
  const snapshot = await makeSnapshot(inventory, engines, serverInfo(publicHost(config), configuredPorts(config)), Date.now());
  for (const p of snapshot.catalog.problems) {
    const device = p.mac ? inventory.devices.get(p.mac) : undefined;
    const where = device ? `${device.source.file}:${device.source.line}` : 'templates';
    error(`${where}: error: ${p.name}${p.mac ? ` (device ${p.mac})` : ''}: ${p.message}`);
  }
  io.stdout.write(
    errors === 0
      ? `ok: ${inventory.devices.size} devices, ${inventory.profiles.size} profiles, ${snapshot.catalog.size} files rendered\n`
      : `${errors} error(s)\n`,
  );
  return errors === 0 ? 0 : 1;
}
