// Render cost of encrypted configs: the same generated inventory of N Yealink phones rendered
// plain, with Yealink compatibility mode (per-file key + _Security.enc) and with the OpenSSL
// Salted__ format (a Yealink-shaped vendor opting in, as Grandstream/Cisco will), rounds
// interleaved so load from other processes hits all three alike. Bounded: ROUNDS x 3 renders.
//   npx tsc -p tsconfig.json && node bench/encryption/render.mjs [devices=5000] [rounds=5]
import { join } from 'node:path';
import { buildInventory } from '../../dist/src/inventory/load.js';
import { buildCatalog } from '../../dist/src/render/catalog.js';
import { createTemplateEngine } from '../../dist/src/render/engine.js';
import { VendorRegistry } from '../../dist/src/vendors/registry.js';
import { yealink } from '../../dist/src/vendors/yealink.js';

const DEVICES = Number(process.argv[2] ?? 5000);
const ROUNDS = Number(process.argv[3] ?? 5);
const repo = join(import.meta.dirname, '..', '..');
const server = { host: 'h', http_url: 'http://h/', https_url: null, tftp_url: null, ftp_url: null, provisioning_url: 'http://h/' };

function yaml(vendor, encryption) {
  const lines = ['profiles:', '  p:', '    account: { registrar: pbx.example.lan, transport: tls }'];
  if (encryption) lines.push(`    encryption: { key: "${encryption}" }`);
  lines.push('devices:');
  for (let i = 0; i < DEVICES; i++) {
    const mac = `805ec0${i.toString(16).padStart(6, '0')}`;
    lines.push(`  - { mac: "${mac}", vendor: ${vendor}, model: T46U, profile: p, accounts: [{ user: "u${i}", password: "pw-${i}-secret" }, { user: "v${i}", password: "pw2-${i}" }] }`);
  }
  return lines.join('\n');
}

const salted = { ...yealink, id: 'saltedlink', displayName: 'Saltedlink', encryption: { format: 'openssl-aes256-cbc' } };
const cases = [
  { name: 'plain', registry: new VendorRegistry([yealink]), text: yaml('yealink') },
  { name: 'yealink-aes128-ecb', registry: new VendorRegistry([yealink]), text: yaml('yealink', 'Bench-Common-Key') },
  { name: 'openssl-aes256-cbc', registry: new VendorRegistry([salted]), text: yaml('saltedlink', 'bench-password') },
].map((c) => {
  const loaded = buildInventory([{ file: 'bench.yaml', text: c.text }], c.registry);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems.slice(0, 3)));
  return { ...c, inventory: loaded.inventory, times: [] };
});

for (let round = 0; round < ROUNDS; round++) {
  for (const c of cases) {
    const engine = createTemplateEngine({ shipped: join(repo, 'templates'), override: join(repo, 'no-such-override') });
    const t0 = process.hrtime.bigint();
    const catalog = await buildCatalog({ inventory: c.inventory, registry: c.registry, engine, server, now: round });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (catalog.problems.length > 0) throw new Error(catalog.problems[0].message);
    c.times.push(ms);
    c.files = catalog.size;
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(cases[0].times);
console.log(`${DEVICES} devices, ${ROUNDS} interleaved rounds (first round includes template parsing)`);
for (const c of cases) {
  const m = median(c.times);
  console.log(
    `${c.name.padEnd(20)} files ${String(c.files).padStart(6)}  median ${m.toFixed(0).padStart(6)} ms  ` +
      `(${((m - base) * 1000 / DEVICES).toFixed(1)} µs/device over plain)  all: ${c.times.map((t) => t.toFixed(0)).join(' ')}`,
  );
}

// The encryption step alone on one rendered <mac>.cfg, which the load above drowns in noise.
const { encryptionFormat } = await import('../../dist/src/render/crypto/formats.js');
const sample = Buffer.from(`#!version:1.0.0.1\n${'account.1.some_setting = some value of typical length\n'.repeat(30)}`);
for (const id of ['yealink-aes128-ecb', 'openssl-aes256-cbc']) {
  const format = encryptionFormat(id);
  const setting = { key: id.startsWith('yealink') ? 'Bench-Common-Key' : 'bench-password', key_in_file: true };
  const per = [];
  for (let round = 0; round < ROUNDS; round++) {
    const n = 20_000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) format.encrypt(`805ec0${i}.cfg`, sample, setting, 'device');
    per.push(Number(process.hrtime.bigint() - t0) / 1e3 / n);
  }
  console.log(`${id.padEnd(20)} encrypt one ${sample.length}-byte file: median ${median(per).toFixed(1)} µs (rounds: ${per.map((p) => p.toFixed(1)).join(' ')})`);
}
