/**
 * `provd dhcp snippet`: golden files per target (rewrite with UPDATE_GOLDEN=1 and review), and the
 * ISC, Kea and dnsmasq output checked by those servers themselves (dhcpd -t, kea-dhcp4 -t,
 * dnsmasq --test), for the golden model and for every vendor in the registry.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dhcpSchema } from '../../src/dhcp/config.js';
import { snippetModel } from '../../src/dhcp/snippet-model.js';
import { renderSnippet, SNIPPET_TARGETS, type SnippetTarget } from '../../src/dhcp/snippets.js';
import type { ServerInfo } from '../../src/render/context.js';
import { createVendorRegistry } from '../../src/vendors/index.js';
import { VendorRegistry } from '../../src/vendors/registry.js';
import { yealink } from '../../src/vendors/yealink.js';
import { BIN, REPO } from './daemon-harness.js';

const execFileP = promisify(execFile);
const update = process.env['UPDATE_GOLDEN'] === '1';
const work = mkdtempSync(join(tmpdir(), 'provd-snippet-'));

const server: ServerInfo = {
  host: '10.0.0.2',
  http_url: 'http://10.0.0.2:8080/',
  https_url: null,
  tftp_url: 'tftp://10.0.0.2/',
  ftp_url: null,
  provisioning_url: 'http://10.0.0.2:8080/',
};
const config = dhcpSchema.parse({
  rules: [
    { vendor: 'yealink', vendor_class: { value: 'hex:00:00:36:3d', at: 'prefix' }, url: 'http://10.0.0.2:8080/polycom/', options: [{ code: 160, type: 'string', value: 'http://10.0.0.2:8080/polycom/' }] },
    { vendor: 'yealink', vendor_class: { value: 'CP-7841-3PCC\\0', at: 'suffix' }, mac_prefixes: ['00:26:99'], options: [{ code: 150, type: 'ipv4', value: ['10.0.0.2', '10.0.0.3'] }, { code: 128, type: 'hex', value: '01:02:03' }] },
    { vendor: 'yealink', user_class: { value: 'lab-phones', at: 'exact' }, scheme: 'http', options: [{ code: 120, type: 'sip-servers', value: ['sip.example.com'] }] },
  ],
});
// The golden files use a registry fixed to Yealink, so vendors added later do not change them.
const goldenModel = snippetModel(config, new VendorRegistry([yealink]), server, '10.0.0.2');
const fullModel = snippetModel(config, createVendorRegistry(), server, '10.0.0.2');

function golden(target: SnippetTarget, text: string): void {
  const file = join(REPO, 'test', 'golden', 'dhcp', `snippet.${target}`);
  if (update) writeFileSync(file, text);
  if (!existsSync(file)) throw new Error(`missing golden ${file}; run with UPDATE_GOLDEN=1 and review it`);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

async function syntaxCheck(target: 'isc' | 'kea' | 'dnsmasq', text: string): Promise<void> {
  const file = join(work, `${target}-${Math.random().toString(16).slice(2)}.conf`);
  writeFileSync(file, text);
  const [cmd, args] =
    target === 'isc' ? ['dhcpd', ['-t', '-cf', file]] : target === 'kea' ? ['kea-dhcp4', ['-t', file]] : ['dnsmasq', ['--test', `--conf-file=${file}`]];
  // A non-zero exit rejects with the server's own message.
  await execFileP(cmd, args as string[]);
}

describe('provd dhcp snippet', () => {
  for (const target of SNIPPET_TARGETS) {
    it(`${target}: matches its golden file`, () => {
      golden(target, renderSnippet(target, goldenModel));
    });
  }
  for (const target of ['isc', 'kea', 'dnsmasq'] as const) {
    it(`${target}: the server accepts the golden and the all-vendor snippet`, async () => {
      await syntaxCheck(target, renderSnippet(target, goldenModel));
      await syntaxCheck(target, renderSnippet(target, fullModel));
    });
  }
  it('the checks can fail: a broken snippet is rejected by each server', async () => {
    await expect(syntaxCheck('isc', `${renderSnippet('isc', goldenModel)}\nclass "x" { match if ; }\n`)).rejects.toThrow();
    await expect(syntaxCheck('kea', renderSnippet('kea', goldenModel).replace('"test": "', '"test": "substring('))).rejects.toThrow();
    await expect(syntaxCheck('dnsmasq', `${renderSnippet('dnsmasq', goldenModel)}\ndhcp-mac=set:x\n`)).rejects.toThrow();
  });
  it('the CLI prints the snippet for the config and refuses an unknown server', async () => {
    const cfg = join(work, 'provd.yaml');
    writeFileSync(cfg, `public_host: 10.0.0.9\ndhcp:\n  server_address: 10.0.0.9\n`);
    const { stdout } = await execFileP(process.execPath, [BIN, 'dhcp', 'snippet', '--for', 'dnsmasq', '--config', cfg]);
    expect(stdout).toContain('dhcp-option-force=tag:provd-yealink,66,"http://10.0.0.9:8080/$PN/"');
    const bad = await execFileP(process.execPath, [BIN, 'dhcp', 'snippet', '--for', 'bind9', '--config', cfg]).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 2 });
    expect((bad as { stderr: string }).stderr).toContain("unknown server 'bind9'");
  });
});
