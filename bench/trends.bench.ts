import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { trendsResponseSchema } from "@/lib/api/trends";
import { startEmbeddedPostgres } from "@/lib/embedded/postgres";
import { createStore } from "@/lib/store/store";
import { rollupSizes } from "@/lib/store/maintenance";
import { buildTrends } from "@/lib/trends/build";
import { createFinishedWeekCache } from "@/lib/trends/cache";
import { lastCompleteWeek, shiftWeek, weekBounds } from "@/lib/trends/iso-week";
import { weekHistorySignature } from "@/lib/trends/queries";

// Server time of the weekly trends (GET /api/trends: buildTrends + contract parse + JSON) over a
// store holding 8 weeks of history for a 1,000-table target, on a fresh PostgreSQL 17.
// Run: npm run bench:trends   (tsx --conditions=react-server bench/trends.bench.ts)
//
// The history is generated in SQL straight into the store's tables (the write path is measured
// by bench/store-size): 8 weeks of hourly rollups for the database, connection and size series;
// table_stats snapshots every 10 minutes for the last 31 days (snapshot retention) with
// per-table values for TABLES tables; index_stats and index_bloat snapshots with full rows for
// 2 × TABLES indexes every 6 hours; slow statement events and alert episodes over 8 weeks.
// It times the page before the hourly size rollup has run (table sizes from snapshot_values, the
// old read) and after, then a finished week through the route's cache.
// Options (env): TABLES (1000), RUNS (40), PHASES=1 (also time each store read alone).

const TABLES = Number(process.env.TABLES ?? 1000);
const RUNS = Number(process.env.RUNS ?? 40);
const NOW = new Date();
const HOUR = 3_600_000;

async function populate(c: pg.Client) {
  const now = NOW.toISOString();
  const t0 = new Date(NOW.getTime() - 56 * 24 * HOUR).toISOString();
  const snap0 = new Date(NOW.getTime() - 31 * 24 * HOUR).toISOString();
  await c.query("SELECT pgpulse.ensure_partitions('samples_1h', $1, 4)", [t0]);
  await c.query("SELECT pgpulse.ensure_partitions('snapshot_sets', $1, 33)", [snap0]);
  await c.query("SELECT pgpulse.ensure_partitions('snapshot_values', $1, 33)", [snap0]);
  await c.query("UPDATE pgpulse.rollup_state SET done_until = date_trunc('hour', $1::timestamptz)", [now]);
  // Series: db_stats counters of three databases, connections and sizes.
  await c.query(`
    INSERT INTO pgpulse.series (target_id, name, labels, kind)
    SELECT 'bench', n, jsonb_build_object('datname', d), CASE WHEN n LIKE 'db_stats.%' THEN 'counter' ELSE 'gauge' END
      FROM unnest(ARRAY['db_stats.xact_commit','db_stats.xact_rollback','db_stats.blks_hit','db_stats.blks_read','db_size.bytes']) n,
           unnest(ARRAY['postgres','app','kundli_db']) d
    UNION ALL SELECT 'bench', n, '{}', 'gauge' FROM unnest(ARRAY['connections.total','connections.usable']) n`);
  // Hourly buckets (12 samples each): counters increase steadily, gauges follow a daily cycle.
  await c.query(
    `INSERT INTO pgpulse.samples_1h (series_id, bucket, min, max, sum, count, first_ts, first_value, last_ts, last_value, inc, inc_ms, resets)
     SELECT s.id, h, v, v + 5, 12 * v, 12, h, v, h + interval '55 minutes', v + step, step, 3300000, 0
       FROM pgpulse.series s,
            generate_series(date_trunc('hour', $1::timestamptz), date_trunc('hour', $2::timestamptz) - interval '1 hour', interval '1 hour') h,
            LATERAL (SELECT extract(epoch FROM h - $1::timestamptz) / 3600 AS k) kk,
            LATERAL (SELECT CASE WHEN s.name LIKE 'db_stats.%' THEN (CASE WHEN s.name LIKE '%hit' THEN 20000 WHEN s.name LIKE '%read' THEN 200 ELSE 3600 END) * 12 ELSE 0 END AS step) st,
            LATERAL (SELECT CASE WHEN s.name LIKE 'db_stats.%' THEN st.step * kk.k
                                 WHEN s.name = 'db_size.bytes' THEN 1e9 + kk.k * 1e6
                                 WHEN s.name = 'connections.usable' THEN 97
                                 ELSE 10 + 10 * sin(kk.k / 24 * 2 * pi()) END AS v) vv
      WHERE s.target_id = 'bench'`,
    [t0, now],
  );
  await c.query(
    `INSERT INTO pgpulse.snapshot_objects (target_id, metric, object_key)
     SELECT 'bench', 'table_stats', 'public.table_' || lpad(i::text, 4, '0') FROM generate_series(1, $1) i`,
    [TABLES],
  );
  await c.query(
    `INSERT INTO pgpulse.snapshot_sets (target_id, metric, ts, object_count, rows)
     SELECT 'bench', 'table_stats', ts, $3, '[]' FROM generate_series($1::timestamptz, $2::timestamptz, interval '10 minutes') ts`,
    [snap0, now, TABLES],
  );
  await c.query(
    `INSERT INTO pgpulse.snapshot_values (object_id, ts, bytes, live_tuples, dead_tuples, pct)
     SELECT o.id, s.ts, (1e8 + o.id * 1e6 + extract(epoch FROM s.ts - $1::timestamptz) * (o.id % 50))::bigint, 1000, 10, NULL
       FROM pgpulse.snapshot_objects o, pgpulse.snapshot_sets s
      WHERE o.target_id = 'bench' AND s.target_id = 'bench' AND s.metric = 'table_stats'`,
    [snap0],
  );
  for (const metric of ["index_stats", "index_bloat"]) {
    await c.query(
      `INSERT INTO pgpulse.snapshot_sets (target_id, metric, ts, object_count, rows)
       SELECT 'bench', $3, ts, $4 * 2,
              (SELECT jsonb_agg(jsonb_build_object(
                 'schemaname', 'public', 'table', 'table_' || (i / 2), 'tablename', 'table_' || (i / 2),
                 'index', 'table_' || (i / 2) || '_idx_' || (i % 2), 'indexname', 'table_' || (i / 2) || '_idx_' || (i % 2),
                 'size_bytes', 20000000, 'idx_scan', 5000, 'unused', (i % 97 = 0 AND ts > $2::timestamptz - interval '5 days'),
                 'definition', 'CREATE INDEX table_' || (i / 2) || '_idx_' || (i % 2) || ' ON public.table_' || (i / 2) || ' USING btree (created_at, user_id)',
                 'bloat_percent', 10 + (i % 30) + extract(epoch FROM ts - $1::timestamptz) / 86400 * (i % 3) / 10,
                 'estimated_bytes_wasted', 2500000, 'reliable', i % 5 <> 0, 'index_bytes', 20000000))
                 FROM generate_series(1, $4 * 2) i)
         FROM generate_series($1::timestamptz, $2::timestamptz, interval '6 hours') ts`,
      [snap0, now, metric, TABLES],
    );
  }
  await c.query(
    `INSERT INTO pgpulse.slow_query_events (target_id, source, dedupe_key, fingerprint, query, duration_ms, calls, captured_at, last_seen)
     SELECT 'bench', 'slow_query_log', 'log:' || i, 'fp' || (i % 60), 'SELECT * FROM table_' || (i % 60) || ' WHERE id = ' || i, 1000 + (i % 700) * 7, 1,
            $1::timestamptz + (i * interval '4 minutes'), $1::timestamptz + (i * interval '4 minutes')
       FROM generate_series(1, 56 * 24 * 15 - 1) i`,
    [t0],
  );
  await c.query(
    `INSERT INTO pgpulse.alerts (rule, target_id, object_key, state, severity, since, fired_at, acknowledged_at, resolved_at, last_eval_at)
     SELECT (ARRAY['slow_query','cache_hit_ratio','table_size','index_bloat'])[1 + i % 4], 'bench', 'obj' || i, 'resolved', 'warning',
            f, f, f + interval '5 minutes', f + interval '40 minutes', f + interval '40 minutes'
       FROM generate_series(1, 600) i, LATERAL (SELECT $1::timestamptz + i * interval '2 hours' AS f) x`,
    [t0],
  );
  await c.query("ANALYZE");
}

function pctl(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
}

/** Each read of one target's week alone (median of 7), to see where the time goes. */
async function phases(store: ReturnType<typeof createStore>, week: ReturnType<typeof lastCompleteWeek>) {
  const Q = await import("@/lib/trends/queries");
  const { getSeries } = await import("@/lib/analysis/series");
  const cur = weekBounds(week, "UTC");
  const prev = weekBounds(shiftWeek(week, -1), "UTC");
  const p = store.pool;
  const b = [prev.start, ...prev.days.map((d) => d.end), ...cur.days.map((d) => d.end)];
  const series = (metric: "tps" | "cache_hit_ratio" | "database_size_bytes") => () =>
    getSeries(store, { targetId: "bench", metric, from: prev.start, to: cur.end, stepSeconds: 3600, resolution: "1h", database: "kundli_db" });
  const reads: Array<[string, () => Promise<unknown>]> = [
    ["slow statements per day", () => Q.slowStatsByDay(p, "bench", prev.start, cur.start, cur.end, "UTC")],
    ["alerts", () => Q.alertWeeks(p, "bench", prev.start, cur.start, cur.end)],
    ["table sizes at 15 boundaries", () => Q.sizesAtBoundaries(p, "bench", "table_stats", b)],
    ["bloat rises", () => Q.bloatRises(p, "bench", cur.start, cur.end, 15)],
    ["new unused indexes", () => Q.newUnusedIndexes(p, "bench", cur.start, cur.end, 15)],
    ["fingerprints", () => Q.fingerprintWeeks(p, "bench", prev.start, cur.start, cur.end)],
    ["tps hourly", series("tps")],
    ["cache hit hourly", series("cache_hit_ratio")],
    ["db size hourly", series("database_size_bytes")],
    ["connections hourly", () => store.seriesRange("bench", "connections.total", null, prev.start, cur.end, { resolution: "1h" })],
  ];
  for (const [name, f] of reads) {
    const ts: number[] = [];
    for (let i = 0; i < 7; i++) {
      const s = performance.now();
      await f();
      ts.push(performance.now() - s);
    }
    console.log(`  ${name}: ${pctl(ts, 0.5).toFixed(1)} ms`);
  }
}

async function main() {
  const root = await mkdtemp(path.join(os.tmpdir(), "pgpulse-bench-"));
  await chmod(root, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), persistent: false });
  const store = createStore({ url: server.url("postgres") });
  try {
    await store.migrate();
    const c = new pg.Client({ connectionString: server.url("postgres") });
    await c.connect();
    const t = performance.now();
    await populate(c);
    const sizes = await c.query(
      `SELECT (SELECT count(*) FROM pgpulse.snapshot_values)::int AS values, (SELECT count(*) FROM pgpulse.samples_1h)::int AS hours,
              pg_size_pretty(pg_database_size(current_database())) AS db`,
    );
    await c.end();
    console.log(`populated in ${((performance.now() - t) / 1000).toFixed(1)} s: ${JSON.stringify(sizes.rows[0])}`);

    const week = lastCompleteWeek(NOW, "UTC");
    const target = [{ id: "bench", name: "bench", database: "kundli_db", thresholds: { tableSizeBytes: 10 * 1024 ** 3, cacheHitRatioPercent: 90, indexBloatPercent: 30, queryTimeMs: 1000 } }];
    const once = async () => {
      const s = performance.now();
      const body = await buildTrends(store, target, { week, tz: "Europe/Berlin", now: new Date(), redact: (x) => x });
      JSON.stringify(trendsResponseSchema.parse(body));
      return { ms: performance.now() - s, body };
    };
    const timed = async (label: string) => {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push((await once()).ms);
      console.log(`${label} over ${RUNS} runs: median ${pctl(times, 0.5).toFixed(1)} ms, p95 ${pctl(times, 0.95).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`);
    };
    // Before the size rollup has run, table sizes are read from snapshot_values: the old read.
    await once();
    await timed("trends server time without the size rollup (old read)");
    if (process.env.PHASES === "1") await phases(store, week);
    // The maintenance job's size rollup over the row history (what a running store keeps current).
    const r = performance.now();
    const hours = await rollupSizes(store.pool, NOW, ["table_stats"], 31);
    console.log(`size rollup: ${hours} hours in ${((performance.now() - r) / 1000).toFixed(1)} s`);
    const first = await once();
    const w = first.body.targets[0];
    console.log(`week ${first.body.week}: ${w.tables.length} tables shown, ${w.bloat.length} bloat rows, ${w.unusedIndexes.length} new unused, ${w.fingerprints.length} fingerprints; first run ${first.ms.toFixed(1)} ms`);
    if (process.env.PHASES === "1") await phases(store, week);
    await timed("trends server time with the size rollup");
    // A finished week through the route's cache (lib/server/views/trends-read.ts): the first
    // request builds, the others are answered from memory after the history signature query
    // (contract parse and JSON still run).
    const cache = createFinishedWeekCache<Awaited<ReturnType<typeof buildTrends>>>();
    const cached: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const s = performance.now();
      const sig = await weekHistorySignature(store.pool, ["bench"], weekBounds(shiftWeek(week, -1), "Europe/Berlin").start, weekBounds(week, "Europe/Berlin").end);
      const body = await cache.get(sig, Date.now(), () => buildTrends(store, target, { week, tz: "Europe/Berlin", now: new Date(), redact: (x) => x }));
      JSON.stringify(trendsResponseSchema.parse(body));
      cached.push(performance.now() - s);
    }
    console.log(`finished week, cached: first ${cached[0].toFixed(1)} ms, then median ${pctl(cached.slice(1), 0.5).toFixed(1)} ms, p95 ${pctl(cached.slice(1), 0.95).toFixed(1)} ms`);
  } finally {
    await store.close();
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
