/**
 * The per-request metrics (requests, bytes, transfer durations, active transfers), counted in
 * plain numbers on the serving path and written out in the Prometheus text format (0.0.4) only
 * when scraped. prom-client's labelled inc/observe cost about 2 µs per request here (label
 * hashing on every call); these counters cost a map lookup.
 */
const BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30];

interface Series {
  requests: number;
  bytes: number;
}

interface Durations {
  readonly buckets: number[];
  sum: number;
  count: number;
}

export class FetchStats {
  readonly #series = new Map<string, Series>();
  readonly #durations = new Map<string, Durations>();
  readonly #active = new Map<string, number>();

  started(protocol: string): void {
    this.#active.set(protocol, (this.#active.get(protocol) ?? 0) + 1);
  }

  recorded(protocol: string, outcome: string, bytes: number, durationMs: number): void {
    const key = `${protocol}\u0000${outcome}`;
    let s = this.#series.get(key);
    if (!s) this.#series.set(key, (s = { requests: 0, bytes: 0 }));
    s.requests++;
    s.bytes += bytes;
    let d = this.#durations.get(protocol);
    if (!d) this.#durations.set(protocol, (d = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    const seconds = durationMs / 1000;
    const i = BUCKETS.findIndex((b) => seconds <= b);
    if (i >= 0) d.buckets[i]!++;
    d.sum += seconds;
    d.count++;
    this.#active.set(protocol, Math.max(0, (this.#active.get(protocol) ?? 0) - 1));
  }

  /** The four metric families in the text exposition format. */
  text(): string {
    const out: string[] = [];
    const labels = (key: string) => {
      const [protocol, outcome] = key.split('\u0000');
      return `protocol="${esc(protocol!)}",outcome="${esc(outcome!)}"`;
    };
    out.push('# HELP provd_requests_total Requests by protocol and outcome', '# TYPE provd_requests_total counter');
    for (const [k, s] of this.#series) out.push(`provd_requests_total{${labels(k)}} ${s.requests}`);
    out.push('# HELP provd_bytes_total Bytes sent or stored by protocol and outcome', '# TYPE provd_bytes_total counter');
    for (const [k, s] of this.#series) out.push(`provd_bytes_total{${labels(k)}} ${s.bytes}`);
    out.push('# HELP provd_transfer_duration_seconds Time from request to the last byte, by protocol', '# TYPE provd_transfer_duration_seconds histogram');
    for (const [p, d] of this.#durations) {
      let cumulative = 0;
      BUCKETS.forEach((b, i) => {
        cumulative += d.buckets[i]!;
        out.push(`provd_transfer_duration_seconds_bucket{le="${b}",protocol="${esc(p)}"} ${cumulative}`);
      });
      out.push(`provd_transfer_duration_seconds_bucket{le="+Inf",protocol="${esc(p)}"} ${d.count}`);
      out.push(`provd_transfer_duration_seconds_sum{protocol="${esc(p)}"} ${d.sum}`);
      out.push(`provd_transfer_duration_seconds_count{protocol="${esc(p)}"} ${d.count}`);
    }
    out.push('# HELP provd_active_transfers Requests being resolved or transferred', '# TYPE provd_active_transfers gauge');
    for (const [p, n] of this.#active) out.push(`provd_active_transfers{protocol="${esc(p)}"} ${n}`);
    return `${out.join('\n')}\n\n`;
  }
}

/** Label values escape backslash, quote and newline (exposition format). */
function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
