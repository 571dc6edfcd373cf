// What the admin side adds to every request on the serving thread: Metrics.started + recorded
// (the pipeline's onStart/onRecord hooks minus the last-seen map and the live-event early return).
//   node bench/admin/record-hook.mjs   (after npx tsc -p tsconfig.json)
import { Metrics } from '../../dist/src/admin/metrics.js';

const m = new Metrics(() => ({ current: 0, pending: 0, never: 0 }));
const entry = { protocol: 'http', outcome: 'served', bytes: 1200, durationMs: 1 };
const N = 1_000_000;
for (let i = 0; i < N / 10; i++) { m.started('http'); m.recorded(entry); }
const t0 = process.hrtime.bigint();
for (let i = 0; i < N; i++) { m.started('http'); m.recorded(entry); }
console.log(JSON.stringify({ ns_per_request: Math.round(Number(process.hrtime.bigint() - t0) / N) }));
