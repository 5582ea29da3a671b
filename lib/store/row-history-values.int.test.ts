import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { getDefinition } from "@/lib/metrics/catalog";
import type { MetricResult } from "@/lib/metrics/types";
import { buildTrends } from "@/lib/trends/build";
import { parseIsoWeek } from "@/lib/trends/iso-week";
import { sizesAtBoundaries } from "@/lib/trends/queries";
import { convertResult } from "./convert";
import { createStore } from "./store";
import type { Store } from "./types";
import { insertHistoryRows } from "./write";

// The same sequence of table, index and bloat snapshots written twice: for target "old" the way
// the store wrote them before (per-object numbers of every row-history metric), for target "new"
// through the store (numbers of table_stats only). Every reader must return the same figures.

const H = 3_600_000;
const T0 = Date.parse("2026-03-02T00:00:00Z");
const SETS = 4 * 16; // every 6 hours for 16 days: two ISO weeks (W10, W11) and more
const NOW = new Date(T0 + SETS * 6 * H);
const TABLES = 30;

let db: TestDatabase;
let store: Store;
let sql: pg.Client;

function results(targetId: string): MetricResult[] {
  const out: MetricResult[] = [];
  for (let k = 0; k < SETS; k++) {
    const ts = new Date(T0 + k * 6 * H);
    const ok = (metric: string, rows: Record<string, unknown>[]): MetricResult => ({ status: "ok", metric, targetId, ts, durationMs: 1, rows });
    out.push(
      ok(
        "table_stats",
        Array.from({ length: TABLES }, (_, i) => ({
          schemaname: "public", relname: `t${i}`, n_live_tup: 1000 * i + k, n_dead_tup: (k * i) % 17,
          // Some grow steadily, some step, some stay.
          total_bytes: i % 3 === 0 ? 1e9 + i * 1e6 + k * 5e6 : i % 3 === 1 ? 2e8 * (1 + Math.floor(k / 10)) : 4e7,
          heap_bytes: 1e8, indexes_bytes: 1e7, toast_bytes: 0,
        })),
      ),
      ok(
        "index_stats",
        Array.from({ length: 2 * TABLES }, (_, i) => ({
          schemaname: "public", table: `t${i >> 1}`, index: `t${i >> 1}_idx${i & 1}`, size_bytes: 2e7 + k * i * 1000, idx_scan: 5 * k,
          unused: i % 7 === 0 && k > SETS / 2, definition: `CREATE INDEX t${i >> 1}_idx${i & 1} ON public.t${i >> 1} (a)`,
        })),
      ),
      ok(
        "index_bloat",
        Array.from({ length: 2 * TABLES }, (_, i) => ({
          schemaname: "public", tablename: `t${i >> 1}`, indexname: `t${i >> 1}_idx${i & 1}`, index_bytes: 2e7,
          bloat_percent: 10 + (i % 9) + (k * (i % 4)) / 10, estimated_bytes_wasted: 1e6 + k, reliable: i % 5 !== 0,
        })),
      ),
    );
  }
  return out;
}

beforeAll(async () => {
  db = await createTestDatabase(17, "rowvalues");
  store = createStore({ url: db.url, flushIntervalMs: 60_000, maxBufferedHistoryRows: 1_000_000 });
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  await store.migrate();
  for (const parent of ["snapshot_sets", "snapshot_values"]) await sql.query("SELECT pgpulse.ensure_partitions($1, $2, 20)", [parent, new Date(T0)]);
  // The old path: every metric's per-object numbers.
  for (const r of results("old")) await insertHistoryRows(store.pool, convertResult(r, getDefinition).historyRows, true);
  // The new path: the store's own.
  for (const r of results("new")) store.accept(r);
  await store.flush();
}, 120_000);

afterAll(async () => {
  await store?.close();
  await sql?.end();
  await db?.drop();
});

const bothTargets = async <T>(read: (targetId: string) => Promise<T>) => [await read("old"), await read("new")] as const;

describe("row history written without index and bloat numbers", () => {
  it("stores per-object numbers only for table_stats", async () => {
    const { rows } = await sql.query<{ target_id: string; metric: string; n: number }>(
      `SELECT o.target_id, o.metric, count(v.*)::int AS n FROM pgpulse.snapshot_objects o LEFT JOIN pgpulse.snapshot_values v ON v.object_id = o.id
        GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(rows).toEqual([
      { target_id: "new", metric: "table_stats", n: SETS * TABLES },
      { target_id: "old", metric: "index_bloat", n: SETS * 2 * TABLES },
      { target_id: "old", metric: "index_stats", n: SETS * 2 * TABLES },
      { target_id: "old", metric: "table_stats", n: SETS * TABLES },
    ]);
  });

  it("keeps whole sets, latest and as of a time, identical", async () => {
    for (const metric of ["table_stats", "index_stats", "index_bloat"]) {
      const [a, b] = await bothTargets((t) => store.latestHistoryRows(t, metric));
      expect(a?.rows.length).toBeGreaterThan(0);
      expect(b).toEqual(a);
      const at = new Date(T0 + 37 * H);
      const [c, d] = await bothTargets((t) => store.historyRowsAt(t, metric, at));
      expect(d).toEqual(c);
    }
  });

  it("gives the tables history and growth the same figures", async () => {
    for (const table of ["public.t0", "public.t1", "public.t2"]) {
      const [a, b] = await bothTargets((t) => store.objectHistory(t, "table_stats", table, new Date(T0), NOW));
      expect(a).toHaveLength(SETS);
      expect(b).toEqual(a);
    }
    const [g, h] = await bothTargets((t) => store.tableGrowthAll(t, NOW, 7, 1.5e9));
    expect(g).toHaveLength(TABLES);
    expect(h).toEqual(g);
  });

  it("gives the weekly trends the same figures (sizes, bloat rises, new unused indexes)", async () => {
    const b = [0, 1, 5, 9, 13].map((d) => new Date(T0 + d * 24 * H));
    const [s1, s2] = await bothTargets((t) => sizesAtBoundaries(store.pool, t, "table_stats", b));
    expect(s1).toHaveLength(TABLES);
    expect(s2).toEqual(s1);
    const thresholds = { tableSizeBytes: 1.5e9, cacheHitRatioPercent: 90, indexBloatPercent: 30, queryTimeMs: 1000 };
    const [w1, w2] = await bothTargets((id) =>
      buildTrends(store, [{ id, name: "db", database: "app", thresholds }], { week: parseIsoWeek("2026-W11")!, tz: "Europe/Berlin", now: NOW, redact: (x) => x }),
    );
    const [t1, t2] = [w1.targets[0], w2.targets[0]];
    expect(t1.tables.length).toBeGreaterThan(0);
    expect(t1.bloat.length).toBeGreaterThan(0);
    expect(t1.unusedIndexes.length).toBeGreaterThan(0);
    expect({ ...t2, targetId: t1.targetId }).toEqual(t1);
  });
});
