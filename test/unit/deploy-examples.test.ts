/**
 * The deployment examples say what they promise: compose and Kubernetes run on the host network
 * with only the low-port capability, and the config and inventory they carry pass `provd check`.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { BIN, REPO } from '../integration/daemon-harness.js';

const run = promisify(execFile);

interface K8sDoc {
  kind: string;
  data?: Record<string, string>;
  spec?: { template?: { spec?: { hostNetwork?: boolean; containers?: { securityContext?: { capabilities?: { add?: string[] } } }[] } } };
}

function k8sDocs(): K8sDoc[] {
  return parseAllDocuments(readFileSync(join(REPO, 'deploy', 'kubernetes', 'provd.yaml'), 'utf8')).map((d) => d.toJS() as K8sDoc);
}

describe('deployment examples', () => {
  it('compose uses the host network and adds only NET_BIND_SERVICE', () => {
    const compose = parse(readFileSync(join(REPO, 'deploy', 'docker-compose.yml'), 'utf8')) as {
      services: { provd: { network_mode: string; cap_drop: string[]; cap_add: string[] } };
    };
    expect(compose.services.provd.network_mode).toBe('host');
    expect(compose.services.provd.cap_drop).toEqual(['ALL']);
    expect(compose.services.provd.cap_add).toEqual(['NET_BIND_SERVICE']);
  });

  it('the Kubernetes Deployment uses hostNetwork and its ConfigMaps pass provd check', async () => {
    const docs = k8sDocs();
    const deployment = docs.find((d) => d.kind === 'Deployment');
    expect(deployment?.spec?.template?.spec?.hostNetwork).toBe(true);
    expect(deployment?.spec?.template?.spec?.containers?.[0]?.securityContext?.capabilities?.add).toEqual(['NET_BIND_SERVICE']);
    const maps = docs.filter((d) => d.kind === 'ConfigMap');
    const config = maps.map((m) => m.data?.['provd.yaml']).find((c) => c !== undefined);
    const devices = maps.map((m) => m.data?.['devices.yaml']).find((c) => c !== undefined);
    expect(config).toBeDefined();
    expect(devices).toBeDefined();

    const dir = mkdtempSync(join(tmpdir(), 'provd-k8s-'));
    mkdirSync(join(dir, 'inventory'));
    writeFileSync(join(dir, 'inventory', 'devices.yaml'), devices!);
    const file = join(dir, 'provd.yaml');
    writeFileSync(file, config!.replaceAll('/etc/provd', dir).replaceAll('/var/lib/provd', join(dir, 'state')).replaceAll('/srv/provd', dir));
    const { stdout } = await run(process.execPath, [BIN, 'check', '--config', file]);
    expect(stdout).toMatch(/^ok: 0 devices/);
  });

  it('the production config passes provd check with the example inventory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provd-prod-'));
    const text = readFileSync(join(REPO, 'deploy', 'provd.production.yaml'), 'utf8');
    const file = join(dir, 'provd.yaml');
    writeFileSync(file, text.replaceAll('/etc/provd/inventory', join(REPO, 'config', 'inventory')).replaceAll('/etc/provd', dir)
      .replaceAll('/var/lib/provd', join(dir, 'state')).replaceAll('/srv/provd', dir));
    const { stdout } = await run(process.execPath, [BIN, 'check', '--config', file]);
    expect(stdout).toMatch(/^ok: \d+ devices/);
  });

  it('the systemd unit and the image run the daemon with the memory settings of npm start', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: { start: string } };
    const start = /^MALLOC_ARENA_MAX=(\d+) node ((?:--\S+ )+)dist\/src\/cli\/bin\.js serve$/.exec(pkg.scripts.start);
    expect(start).not.toBeNull();
    const [, arenas, flagText] = start!;
    const flags = flagText!.trim().split(' ');
    expect(flags).toContain('--heap-growing-percent=25');

    const unit = readFileSync(join(REPO, 'systemd', 'provd.service'), 'utf8');
    const execStart = /^ExecStart=\/usr\/bin\/node ((?:--\S+ )+)\/usr\/bin\/provd serve /m.exec(unit);
    expect(execStart?.[1]?.trim().split(' ')).toEqual(flags);
    expect(/^Environment=.*\bMALLOC_ARENA_MAX=(\d+)\b/m.exec(unit)?.[1]).toBe(arenas);

    const dockerfile = readFileSync(join(REPO, 'Dockerfile'), 'utf8');
    const entrypoint = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
    expect(entrypoint).toEqual(['node', ...flags, '/opt/provd/dist/src/cli/bin.js']);
    expect(/^ENV .*\bMALLOC_ARENA_MAX=(\d+)\b/m.exec(dockerfile)?.[1]).toBe(arenas);
  });
});
