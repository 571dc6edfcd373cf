// Writer-thread cost per ledger row by transaction size and index, run by hand after a build:
//   node bench/ledger/transaction-size.mjs [all|nomac|noidx|noup|cacheKIB|mmapMIB] [ROWS_PER_TRANSACTION=512]
// Inserts 200,000 fetch rows for 2,000 phones the way the writer thread does (16-row INSERTs,
// one last_delivery upsert per key and transaction) into a fresh file in bench/out/, and prints
// the CPU time per row. `nomac`/`noidx` drop the (mac, time) / both indexes, `noup` skips the
// upserts: they show what each part costs, not options the daemon has.
import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const { migrateLedger } = await import(`${REPO}dist/src/ledger/schema.js`);
const { insertSql } = await import(`${REPO}dist/src/ledger/rows.js`);
mkdirSync(`${REPO}bench/out`, { recursive: true });
const variant = process.argv[2] ?? 'all'; const TX = Number(process.argv[3] ?? 512);
const f = `${REPO}bench/out/ledger-tx-${variant}.sqlite`; rmSync(f, { force: true }); rmSync(f + '-wal', { force: true }); rmSync(f + '-shm', { force: true });
const db = new Database(f); db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); migrateLedger(db);
if (variant.startsWith('cache')) db.pragma('cache_size = -' + variant.slice(5));
if (variant.startsWith('mmap')) db.pragma('mmap_size = ' + Number(variant.slice(4)) * 1048576);
if (variant === 'nomac') db.exec('DROP INDEX fetches_mac_time');
if (variant === 'noidx') { db.exec('DROP INDEX fetches_mac_time'); db.exec('DROP INDEX fetches_time'); }
const ins = db.prepare(insertSql(16));
const up = db.prepare('INSERT INTO last_delivery (mac, file, md5, time) VALUES (?, ?, ?, ?) ON CONFLICT (mac, file) DO UPDATE SET md5 = excluded.md5, time = excluded.time');
const macs = Array.from({ length: 2000 }, (_, i) => (0x805ec0000000 + i * 7919).toString(16).padStart(12, '0'));
const rows = 200000; const t0 = process.cpuUsage(); let time = Date.now();
const tx = db.transaction((from) => {
  const latest = new Map();
  for (let r = from; r < from + TX; r += 16) {
    const p = [];
    for (let k = 0; k < 16; k++) {
      const i = r + k; const mac = macs[(i * 31) % 2000]; const file = `${mac}.cfg`;
      p.push(time++, 'http', '127.0.0.1', 40000, mac, 'path', `/${file}`, file, 'generated', 'served', null, 1500, 0.2, `Yealink SIP-T46U 108.86.0.20 ${mac}`, null, 'd41d8cd98f00b204e9800998ecf8427e', 1, 200, '{"method":"GET","status":200}', 0);
      latest.set(file, [mac, file, 'd41d8cd98f00b204e9800998ecf8427e', time]);
    }
    ins.run(p);
  }
  if (variant !== 'noup') for (const v of latest.values()) up.run(...v);
});
for (let r = 0; r < rows; r += TX) tx(r);
const c = process.cpuUsage(t0);
console.log(variant, ((c.user + c.system) / rows).toFixed(2), 'us CPU per row');
