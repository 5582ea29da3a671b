import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@/lib/embedded/postgres";
import type { MetricResult } from "@/lib/metrics/types";
import { createStore } from "@/lib/store/store";

// Store bytes per day for a 1,000-table target at the default cadences: writes simulated hours
// through the real store (accept → flush → maintenance: rollups, packing) into a fresh
// PostgreSQL 17 and measures the relations after each hour. A day is the mean growth of the hours
// after the first two × 24: those pay one-time costs (series, object keys, empty partitions'
// pages, free-space maps, the unpacked rows' pages until they are recycled) that a one-hour × 24
// figure used to multiply.
// Run: npm run bench:store (npx tsx --conditions=react-server bench/store-size.bench.ts)
// Options (env): TABLES (1000), INDEXES (2000), HOURS (5, at least 3), SNAPSHOT_MIN_MS (store's snapshot
// interval), SNAPSHOT_SERIES=1 (also per-object series of snapshot metrics), PG_PORT.

const TABLES = Number(process.env.TABLES ?? 1000);
const INDEXES = Number(process.env.INDEXES ?? 2 * TABLES);
const SNAPSHOT_MIN_MS = Number(process.env.SNAPSHOT_MIN_MS ?? 10 * 60_000);
const SNAPSHOT_SERIES = process.env.SNAPSHOT_SERIES === "1";
const HOURS = Math.max(3, Number(process.env.HOURS ?? 5));
const WARM_HOURS = 2;
const DBS = ["postgres", "app", "kundli_db"];
const T0 = Date.parse("2026-11-20T10:00:00Z");
const HOUR = 3_600_000;

let hourStart = T0;
function* every(ms: number) {
  for (let t = hourStart; t < hourStart + HOUR; t += ms) yield new Date(t);
}
const ok = (metric: string, ts: Date, rows: Record<string, unknown>[]): MetricResult => ({ status: "ok", metric, targetId: "bench", ts, durationMs: 1, rows });
const k = (ts: Date) => Math.floor((ts.getTime() - T0) / 1000);

function tableRow(i: number, ts: Date) {
  const s = k(ts);
  return {
    schemaname: i % 10 === 0 ? "audit" : "public", relname: `table_${String(i).padStart(4, "0")}`, is_partitioned: false,
    parent: null, source: "pg_stat_user_tables", seq_scan: 100 + s, idx_scan: 10_000 + 7 * s, n_tup_ins: 5_000 + s * 3,
    n_tup_upd: 2_000 + s, n_tup_del: 100, n_live_tup: 1_000_000 + i, n_dead_tup: 1_000 + (s % 500),
    last_vacuum: null, last_autovacuum: new Date(T0 - 86_400_000), last_analyze: null, last_autoanalyze: new Date(T0 - 3_600_000),
    vacuum_count: 0, autovacuum_count: 12, analyze_count: 1, autoanalyze_count: 30,
    heap_bytes: 80_000_000 + s * 100, indexes_bytes: 20_000_000, toast_bytes: 8192, total_bytes: 100_008_192 + s * 100,
    size_unavailable: null, partitions: null, next_month_partition_exists: null,
  };
}
function indexRow(i: number, ts: Date) {
  const t = Math.floor(i / 2);
  return {
    schemaname: "public", table: `table_${String(t).padStart(4, "0")}`, index: `table_${String(t).padStart(4, "0")}_idx_${i % 2}`,
    size_bytes: 20_000_000, size_unavailable: null, idx_scan: 5_000 + k(ts), idx_tup_read: 90_000, idx_tup_fetch: 80_000,
    is_unique: i % 2 === 0, is_primary: i % 2 === 0, is_valid: true, is_partitioned: false,
    definition: `CREATE INDEX table_${t}_idx_${i % 2} ON public.table_${t} USING btree (created_at, user_id)`,
    unused: false, duplicate_of: null, prefix_of: null,
  };
}
function bloatRow(i: number) {
  const t = Math.floor(i / 2);
  return {
    indexrelid: 100_000 + i, schemaname: "public", tablename: `table_${t}`, indexname: `table_${t}_idx_${i % 2}`,
    index_bytes: 20_000_000, bloat_percent: 12.5, estimated_bytes_wasted: 2_500_000, method: "estimate", reason: null,
  };
}
function session(pid: number) {
  return {
    pid, datname: "app", usename: "app", application_name: "web", client_addr: "10.0.0.5", state: pid % 3 ? "idle" : "active",
    wait_event_type: null, wait_event: null, backend_start: new Date(T0), xact_start: null, query_start: new Date(T0),
    state_change: new Date(T0), query: "SELECT 1", query_id: null, blocked_by: [], query_ms: pid % 3 ? null : 120,
    xact_ms: null, state_ms: 100, lock_wait_ms: null, hidden: false,
  };
}

function generate(): MetricResult[] {
  const results: MetricResult[] = [];
  for (const ts of every(60_000)) results.push(ok("up", ts, [{ up: 1, error: null }]));
  for (const ts of every(3_000)) results.push(ok("stat_activity", ts, Array.from({ length: 20 }, (_, p) => session(p))));
  for (const ts of every(15_000)) {
    results.push(ok("connections", ts, [{ max_connections: 100, superuser_reserved_connections: 3, reserved_connections: 0, total: 20, active: 7, idle: 13, idle_in_transaction: 0, idle_in_transaction_aborted: 0, other: 0, unknown: 0, usable: 97, saturation: 0.206 }]));
    results.push(ok("db_stats", ts, DBS.map((datname, d) => ({
      datname, xact_commit: 1e6 + k(ts) * 50 * (d + 1), xact_rollback: 10 + k(ts), blks_read: 5e5 + k(ts), blks_hit: 9e7 + k(ts) * 900,
      tup_returned: 1e8 + k(ts) * 1000, tup_fetched: 5e7 + k(ts) * 300, tup_inserted: 1e6 + k(ts) * 5, tup_updated: 5e5 + k(ts), tup_deleted: 1e4,
      temp_files: 3, temp_bytes: 1e6, deadlocks: 0, conflicts: 0, session_time: 1e9 + k(ts), active_time: 5e8, idle_in_transaction_time: 1e4,
      sessions: 500 + k(ts), sessions_abandoned: 0, sessions_fatal: 0, sessions_killed: 0, numbackends: 7, stats_reset_epoch: 1_700_000_000, xid_age: 50_000 + k(ts),
    }))));
    results.push(ok("slow_queries", ts, [{ source: "pg_stat_statements", fingerprint: `fp${k(ts) % 7}`, query: "SELECT * FROM birth_charts WHERE user_id = $1", duration_ms: 1500, calls: 3, total_ms: 4500, max_ms: 2000, captured_at: ts, queryid: String(k(ts) % 7), pid: null, username: "app", datname: "app" }]));
  }
  for (const ts of every(300_000)) results.push(ok("db_size", ts, DBS.map((datname) => ({ datname, bytes: 5e9 }))));
  for (const ts of every(120_000)) results.push(ok("table_stats", ts, Array.from({ length: TABLES }, (_, i) => tableRow(i, ts))));
  for (const ts of every(300_000)) results.push(ok("index_stats", ts, Array.from({ length: INDEXES }, (_, i) => indexRow(i, ts))));
  for (const ts of every(600_000)) results.push(ok("index_bloat", ts, Array.from({ length: INDEXES }, (_, i) => bloatRow(i))));
  results.sort((a, b) => a.ts.getTime() - b.ts.getTime());
  return results;
}

async function main() {
  const root = await mkdtemp(path.join(os.tmpdir(), "pgpulse-bench-"));
  await chmod(root, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), persistent: false, port: process.env.PG_PORT ? Number(process.env.PG_PORT) : undefined });
  const store = createStore({ url: server.url(), flushIntervalMs: 200, maxBufferedHistoryRows: 1_000_000, rowHistoryMinIntervalMs: SNAPSHOT_MIN_MS, rowHistorySeries: SNAPSHOT_SERIES });
  try {
    await store.migrate();
    const measure = async () => {
      await store.pool.query("VACUUM ANALYZE");
      const { rows } = await store.pool.query<{ family: string; bytes: string; n: string }>(`
        SELECT coalesce(p.relname, c.relname) AS family, sum(pg_total_relation_size(c.oid))::bigint AS bytes, sum(greatest(c.reltuples, 0))::bigint AS n
        FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
        LEFT JOIN pg_inherits i ON i.inhrelid = c.oid LEFT JOIN pg_class p ON p.oid = i.inhparent
        WHERE ns.nspname = 'pgpulse' AND c.relkind = 'r'
        GROUP BY 1`);
      return new Map(rows.map((r) => [r.family, { bytes: Number(r.bytes), n: Number(r.n) }]));
    };
    const mb = (b: number) => (b / 1024 ** 2).toFixed(2) + " MB";
    let first = await measure();
    let after = first;
    let writeMs = 0;
    let resultCount = 0;
    for (let h = 0; h < HOURS; h++) {
      hourStart = T0 + h * HOUR;
      const results = generate();
      resultCount += results.length;
      const started = performance.now();
      for (const r of results) store.accept(r);
      await store.flush();
      writeMs += performance.now() - started;
      await store.runMaintenance(new Date(hourStart + HOUR + 120_000));
      after = await measure();
      if (h === WARM_HOURS - 1) first = after;
      // The unpacked rows only hold the hours not packed yet: their table should stop growing.
      console.log(`after hour ${h + 1}: unpacked samples ${mb(after.get("samples")?.bytes ?? 0)}, minutes ${mb(after.get("samples_1m")?.bytes ?? 0)}`);
    }
    const hourly = (f: string) => ((after.get(f)?.bytes ?? 0) - (first.get(f)?.bytes ?? 0)) / (HOURS - WARM_HOURS);
    const rowsHourly = (f: string) => Math.round(((after.get(f)?.n ?? 0) - (first.get(f)?.n ?? 0)) / (HOURS - WARM_HOURS));
    const families = [...after.keys()].filter((f) => after.get(f)!.bytes > 0).sort((a, b) => hourly(b) - hourly(a) || a.localeCompare(b));
    const perDay = (f: string) => hourly(f) * 24;
    console.log(`tables=${TABLES} indexes=${INDEXES} rowHistoryMinIntervalMs=${SNAPSHOT_MIN_MS} rowHistorySeries=${SNAPSHOT_SERIES}; ${HOURS} hours, ${resultCount} results written in ${writeMs.toFixed(0)} ms`);
    console.log(`growth per hour (mean of hours ${WARM_HOURS + 1}–${HOURS}), and each relation at the end:`);
    for (const f of families) {
      const a = after.get(f)!;
      console.log(`  ${f.padEnd(22)} ${mb(hourly(f)).padStart(9)}/h ${String(rowsHourly(f)).padStart(7)} rows/h   now ${mb(a.bytes).padStart(9)} ${String(a.n).padStart(8)} rows`);
    }
    const raw = perDay("samples") + perDay("samples_packed");
    const snap = perDay("snapshot_sets") + perDay("snapshot_values") + perDay("snapshot_sizes_1h") + perDay("snapshot_objects");
    const minutes = perDay("samples_1m") + perDay("samples_1m_packed");
    console.log(`per day: raw samples ${mb(raw)}, minute rollups ${mb(minutes)}, hour rollups ${mb(perDay("samples_1h"))}, snapshots ${mb(snap)}, slow query events ${mb(perDay("slow_query_events"))}`);
    console.log(`total per day ${mb(raw + minutes + perDay("samples_1h") + snap + perDay("slow_query_events"))}`);
    // Rows not packed yet (the current hour's) sit in today's partitions, which are dropped a day
    // after packing: a footprint of about two days' partitions, not a daily growth.
    // (A store without packing, as before migration 012, has all its rows in the daily growth.)
    const unpacked = after.has("samples_packed") ? (after.get("samples")?.bytes ?? 0) + (after.get("samples_1m")?.bytes ?? 0) : 0;
    console.log(`unpacked rows now (the hours not packed yet, partitions kept ≤ 2 days): ${mb(unpacked)}`);
    const steady = raw * 14 + minutes * 30 + perDay("samples_1h") * 400 + snap * 31 + perDay("slow_query_events") * 90 + 2 * unpacked;
    console.log(`steady state at default retention (raw 14 d, 1m 30 d, 1h 400 d, snapshots 31 d, events 90 d): ${(steady / 1024 ** 3).toFixed(2)} GB`);
  } finally {
    await store.close();
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
}

await main();
