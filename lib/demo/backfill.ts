import "server-only";
import { createStore, type Store } from "@/lib/store";
import { rollup } from "@/lib/store/maintenance";
import type { MetricResult } from "@/lib/metrics/types";

// Simulated history for the demo, so the weekly trend page has weeks to compare on first start.
// Only `npm run demo` calls it, for its own target, and only when the store holds no history for
// that target yet: a real target never gets any. The rows go through the store's normal path
// (accept → flush → rollups), and the range is recorded in pgpulse.simulated_ranges so every
// page that shows it can say "simulated".
//
// The model of the demo workload (UTC clock, deterministic — no randomness, so two runs agree):
//  - transactions: 4/s at night rising to 24/s at 14:00 on weekdays (a half-sine over 06–22 h),
//    half of that at weekends, growing 3 % a week;
//  - cache hit ratio ≈ 99.4 % (hits 20× the transaction rate in blocks);
//  - connections: 6 at night to 26 at the busiest hour, of 97 usable slots;
//  - table sizes: planetary_positions, birth_charts, audit_log and users grow linearly (with the
//    daily cycle's weight); query_cache is flat (entries expire);
//  - slow statements: the compatibility report (≈ 1.4 s) a few times a day, the chart search
//    (≈ 1.1 s) at the busiest hours;
//  - incidents: two weeks before the current one, Tuesday 02:00–03:00, a report job reads cold
//    data (cache hit ≈ 82 %); last week on Thursday afternoon the chart search regresses to
//    ≈ 3 s with twice the occurrences; last week on Wednesday 11:00 a connection spike to 78.

export const BACKFILL_MODEL = "demo-workload-v1";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MIB = 1024 ** 2;

export interface BackfillOptions {
  storeUrl: string;
  targetId: string;
  database: string;
  /** Whole weeks before the current one (default 4, within snapshot retention of 31 days). */
  weeks?: number;
  now?: Date;
  /** Sample spacing (default 5 minutes: the hourly rollups the trend page reads are exact). */
  stepMs?: number;
}

export interface BackfillResult {
  skipped: string | null;
  from: Date | null;
  to: Date | null;
  results: number;
}

/** Monday 00:00 UTC of the week holding t. */
function mondayUtc(t: number): number {
  const d = new Date(t);
  const day = (d.getUTCDay() + 6) % 7;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - day * DAY;
}

/** 0 at night, 1 at 14:00, weekends at half weight. */
export function dailyLoad(t: number): number {
  const d = new Date(t);
  const h = d.getUTCHours() + d.getUTCMinutes() / 60;
  const shape = h < 6 || h >= 22 ? 0 : Math.sin(((h - 6) / 16) * Math.PI);
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 0.5 : 1;
  return shape * weekend;
}

export function demoResults(targetId: string, database: string, from: number, to: number, stepMs: number): MetricResult[] {
  const ok = (metric: string, ts: number, rows: Record<string, unknown>[]): MetricResult => ({ status: "ok", metric, targetId, ts: new Date(ts), durationMs: 1, rows });
  const out: MetricResult[] = [];
  const current = mondayUtc(to);
  const coldRead = current - 2 * WEEK + DAY + 2 * HOUR;
  const regression = [current - WEEK + 3 * DAY + 13 * HOUR, current - WEEK + 3 * DAY + 18 * HOUR];
  const spike = current - WEEK + 2 * DAY + 11 * HOUR;
  let commit = 1e6;
  let hit = 5e7;
  let read = 5e5;
  let prev = from;
  let slowId = 0;
  const tables = { "planetary_positions": [250 * MIB, 1.2 * MIB], "birth_charts": [48 * MIB, 0.5 * MIB], "audit_log": [20 * MIB, 0.8 * MIB], "users": [30 * MIB, 0.1 * MIB], "query_cache": [60 * MIB, 0] } as const;
  for (let t = from; t < to; t += stepMs) {
    const load = dailyLoad(t);
    const growth = 1 + (0.03 * (t - from)) / WEEK;
    const tps = (4 + 20 * load) * growth;
    const dt = (t - prev) / 1000;
    prev = t;
    const cold = t > coldRead && t <= coldRead + HOUR;
    commit += tps * dt;
    hit += tps * 20 * (cold ? 0.82 : 0.994) * dt;
    read += tps * 20 * (cold ? 0.18 : 0.006) * dt;
    const conns = Math.abs(t - spike) < 15 * MIN ? 78 : Math.round(6 + 20 * load);
    const grownDays = (t - from) / DAY;
    const sizeOf = (base: number, perDay: number) => Math.round(base + perDay * grownDays);
    const dbBytes = Object.values(tables).reduce((s, [b, g]) => s + sizeOf(b, g), 8 * MIB);
    out.push(ok("db_stats", t, [{ datname: database, xact_commit: Math.round(commit), xact_rollback: Math.round(commit / 400), blks_hit: Math.round(hit), blks_read: Math.round(read), stats_reset_epoch: null }]));
    out.push(ok("connections", t, [{ max_connections: 100, superuser_reserved_connections: 3, total: conns, active: Math.round(conns / 3), idle: conns - Math.round(conns / 3), usable: 97, saturation: conns / 97 }]));
    if ((t - from) % (15 * MIN) === 0) out.push(ok("db_size", t, [{ datname: database, bytes: dbBytes }]));
    if ((t - from) % HOUR === 0) {
      out.push(
        ok(
          "table_stats",
          t,
          Object.entries(tables).map(([relname, [b, g]]) => ({ schemaname: "public", relname, total_bytes: sizeOf(b, g), n_live_tup: Math.round(sizeOf(b, g) / 120), n_dead_tup: 0 })),
        ),
      );
    }
    if ((t - from) % (6 * HOUR) === 0) {
      const bloat = Math.min(60, 12 + grownDays * 1.1);
      out.push(
        ok("index_bloat", t, [
          { schemaname: "public", tablename: "query_cache", indexname: "idx_query_cache_expiry", bloat_percent: bloat, estimated_bytes_wasted: Math.round(bloat * 0.2 * MIB), reliable: true, index_bytes: 20 * MIB },
          { schemaname: "public", tablename: "users", indexname: "users_pkey", bloat_percent: 8, estimated_bytes_wasted: Math.round(0.3 * MIB), reliable: true, index_bytes: 4 * MIB },
        ]),
      );
      out.push(
        ok("index_stats", t, [
          { schemaname: "public", table: "users", index: "idx_active_users", size_bytes: 2 * MIB, unused: false, definition: "CREATE INDEX idx_active_users ON public.users USING btree (id) WHERE (is_active = true)" },
          { schemaname: "public", table: "query_cache", index: "idx_query_cache_expiry", size_bytes: 20 * MIB, unused: false, definition: "CREATE INDEX idx_query_cache_expiry ON public.query_cache USING btree (expires_at)" },
        ]),
      );
    }
    // Slow statements: at 10:00 and 16:00 the report; at busy hours the chart search.
    const minuteOfDay = Math.round((t % DAY) / MIN);
    const slow: Array<[string, string, number]> = [];
    if (minuteOfDay === 600 || minuteOfDay === 960) slow.push(["demo-report", "SELECT u.id, count(*) FROM users u JOIN birth_charts b ON b.user_id = u.id WHERE u.is_active GROUP BY u.id", 1400 + (minuteOfDay % 7) * 10]);
    const regressed = t >= regression[0] && t < regression[1];
    if (load > 0.8 && minuteOfDay % (regressed ? 30 : 60) === 0) slow.push(["demo-chart-search", "SELECT * FROM birth_charts WHERE birth_time BETWEEN $1 AND $2 ORDER BY birth_time", regressed ? 3100 : 1100 + (minuteOfDay % 5) * 20]);
    if (slow.length) {
      out.push(
        ok(
          "slow_queries",
          t,
          slow.map(([fingerprint, query, ms]) => ({ source: "slow_query_log", id: `sim-${++slowId}-${t}`, fingerprint, query, duration_ms: ms, calls: 1, captured_at: new Date(t) })),
        ),
      );
    }
  }
  return out;
}

async function hasHistory(store: Store, targetId: string): Promise<boolean> {
  const { rows } = await store.pool.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM pgpulse.series WHERE target_id = $1)::int + (SELECT count(*) FROM pgpulse.simulated_ranges WHERE target_id = $1)::int AS n`,
    [targetId],
  );
  return rows[0].n > 0;
}

export async function backfillDemoHistory(opts: BackfillOptions): Promise<BackfillResult> {
  const now = opts.now ?? new Date();
  const step = opts.stepMs ?? 5 * MIN;
  // Ends on a whole step before now, so the live collector's first sample follows it.
  const to = Math.floor(now.getTime() / step) * step;
  const from = mondayUtc(now.getTime()) - (opts.weeks ?? 4) * WEEK;
  const store = createStore({ url: opts.storeUrl, rowHistoryMinIntervalMs: 0, flushIntervalMs: 60_000 });
  try {
    await store.migrate();
    if (await hasHistory(store, opts.targetId)) return { skipped: "the store already holds history for this target", from: null, to: null, results: 0 };
    const results = demoResults(opts.targetId, opts.database, from, to, step);
    for (let i = 0; i < results.length; i++) {
      store.accept(results[i]);
      if (i % 2000 === 1999) await store.flush();
    }
    await store.flush();
    if (store.status().buffered > 0 || store.status().rejectedBatches > 0) throw new Error("the store did not take the simulated history");
    // Rolled up now, before retention could drop raw days older than two weeks.
    await rollup(store.pool, now);
    await store.pool.query("INSERT INTO pgpulse.simulated_ranges (target_id, from_ts, to_ts, model) VALUES ($1, $2, $3, $4)", [opts.targetId, new Date(from), new Date(to), BACKFILL_MODEL]);
    return { skipped: null, from: new Date(from), to: new Date(to), results: results.length };
  } finally {
    await store.close();
  }
}
