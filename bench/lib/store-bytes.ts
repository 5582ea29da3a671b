import "server-only";
import type pg from "pg";
import type { CollectorTask } from "@/lib/collector/types";
import type { MetricResult } from "@/lib/metrics/types";
import { createStore } from "@/lib/store";
import type { BenchTarget } from "./tasks";

// Store bytes per day: the real tasks run against a real target on a simulated clock at their
// default cadences, and every result goes through the real store (accept → flush → rollups).
// The period ends on an hour boundary so the hour rollup of that hour is written too.
// Sizes are pg_total_relation_size of the store's leaf relations (heap, indexes, TOAST),
// measured before and after; partitioned families are summed over their partitions.

export interface FamilyBytes {
  family: string;
  bytes: number;
  rows: number;
  /** How the period's bytes become a day: "period" (× day / period), "hour" (× 24), "once". */
  scale: "period" | "hour" | "once";
  perDayBytes: number;
}

export interface StoreBytesResult {
  periodMs: number;
  simulatedFrom: string;
  simulatedTo: string;
  runs: Record<string, number>;
  results: { ok: number; unavailable: number; error: number };
  families: FamilyBytes[];
  perDay: { raw: number; minuteRollups: number; hourRollups: number; snapshots: number; events: number; total: number };
  /** (minute + hour rollups) / raw samples, per day. */
  rollupOverhead: number;
  oneTimeBytes: number;
  /** Bytes held at default retention once every family has filled its window. */
  steadyStateBytes: number;
  writeWallMs: number;
  collectWallMs: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SCALE: Record<string, FamilyBytes["scale"]> = {
  samples: "period",
  // Closed hours packed per series (migration 012): a period shorter than an hour overstates them.
  samples_packed: "period",
  samples_1m: "period",
  samples_1m_packed: "period",
  samples_1h: "hour",
  snapshot_sets: "period",
  snapshot_values: "period",
  slow_query_events: "period",
  series: "once",
  snapshot_objects: "once",
};

const SIZES_SQL = `
SELECT coalesce(p.relname, c.relname)::text AS family,
       sum(pg_total_relation_size(c.oid))::float8 AS bytes, sum(greatest(c.reltuples, 0))::float8 AS est_rows
FROM pg_class c
JOIN pg_namespace ns ON ns.oid = c.relnamespace
LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
LEFT JOIN pg_class p ON p.oid = i.inhparent
WHERE ns.nspname = 'pgpulse' AND c.relkind = 'r'
GROUP BY 1`;

async function sizes(pool: pg.Pool): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ family: string; bytes: number }>(SIZES_SQL);
  return new Map(rows.map((r) => [r.family, r.bytes]));
}

async function rowCounts(pool: pg.Pool, families: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const f of families) {
    // Family names come from pg_class of our own schema; quoted server-side all the same.
    const { rows } = await pool.query<{ sql: string }>(`SELECT format('SELECT count(*)::float8 AS n FROM pgpulse.%I', $1::text) AS sql`, [f]);
    out.set(f, (await pool.query<{ n: number }>(rows[0].sql)).rows[0].n);
  }
  return out;
}

export interface StoreBytesOptions {
  storeUrl: string;
  target: BenchTarget;
  tasks: CollectorTask[];
  periodMs?: number;
  retention?: { rawDays: number; minuteDays: number; hourDays: number; rowHistoryDays: number; eventDays: number };
}

export async function measureStoreBytes(o: StoreBytesOptions): Promise<StoreBytesResult> {
  const periodMs = o.periodMs ?? 10 * 60_000;
  // The store's rollup watermark starts at the real clock: the simulated hour lies ahead of it.
  const end = Math.ceil(Date.now() / HOUR) * HOUR + HOUR;
  const start = end - periodMs;
  const store = createStore({ url: o.storeUrl, flushIntervalMs: 3_600_000, maxBufferedSamples: 10_000_000, maxBufferedHistoryRows: 10_000_000 });
  const ctx = o.target.ctx;
  const realNow = ctx.now;
  let clock = start;
  ctx.now = () => new Date(clock);
  try {
    await store.migrate();
    await store.runMaintenance(new Date(start));
    const before = await sizes(store.pool);

    // Every run of every task in the period, in time order (ties in task order), like the
    // collector's fixed-rate ticks without jitter.
    const plan: Array<{ at: number; task: CollectorTask }> = [];
    for (const task of o.tasks) for (let at = start; at < end; at += task.intervalMs) plan.push({ at, task });
    plan.sort((a, b) => a.at - b.at);
    const runs: Record<string, number> = {};
    const counts = { ok: 0, unavailable: 0, error: 0 };
    let collectWallMs = 0;
    let writeWallMs = 0;
    let flushedMinute = Math.floor(start / 60_000);
    for (const { at, task } of plan) {
      // The live store flushes every second; once per simulated minute keeps batches realistic.
      if (Math.floor(at / 60_000) !== flushedMinute) {
        const w = performance.now();
        await store.flush();
        writeWallMs += performance.now() - w;
        flushedMinute = Math.floor(at / 60_000);
      }
      clock = at;
      const c = performance.now();
      const result = await task.run(ctx);
      collectWallMs += performance.now() - c;
      counts[result.status]++;
      runs[task.id] = (runs[task.id] ?? 0) + 1;
      const w = performance.now();
      store.accept(result);
      // The collector emits the synthetic `up` sample after each successful probe.
      if (task.id === "server" && result.status === "ok") {
        const up: MetricResult = { status: "ok", metric: "up", targetId: ctx.targetId, ts: new Date(at), durationMs: 0, rows: [{ up: 1, error: null }] };
        store.accept(up);
      }
      writeWallMs += performance.now() - w;
    }
    const w = performance.now();
    await store.flush();
    // Past the settle delay, so every minute and the hour of the period are rolled up.
    await store.runMaintenance(new Date(end + 20_000));
    writeWallMs += performance.now() - w;
    const status = store.status();
    if (status.dropped || status.droppedHistoryRows || status.rejectedBatches || !status.reachable) {
      throw new Error(`store dropped or rejected data during the run: ${JSON.stringify(status)}`);
    }

    const after = await sizes(store.pool);
    const names = [...after.keys()].filter((f) => SCALE[f]);
    const rows = await rowCounts(store.pool, names);
    const families: FamilyBytes[] = names
      .map((family) => {
        const bytes = (after.get(family) ?? 0) - (before.get(family) ?? 0);
        const scale = SCALE[family];
        const perDayBytes = scale === "period" ? (bytes * DAY) / periodMs : scale === "hour" ? bytes * 24 : 0;
        return { family, bytes, rows: rows.get(family) ?? 0, scale, perDayBytes };
      })
      .sort((a, b) => b.bytes - a.bytes);
    const day = (f: string) => families.find((x) => x.family === f)?.perDayBytes ?? 0;
    const perDay = {
      raw: day("samples") + day("samples_packed"),
      minuteRollups: day("samples_1m") + day("samples_1m_packed"),
      hourRollups: day("samples_1h"),
      snapshots: day("snapshot_sets") + day("snapshot_values"),
      events: day("slow_query_events"),
      total: 0,
    };
    perDay.total = perDay.raw + perDay.minuteRollups + perDay.hourRollups + perDay.snapshots + perDay.events;
    const r = o.retention ?? { rawDays: 14, minuteDays: 30, hourDays: 400, rowHistoryDays: 31, eventDays: 90 };
    const oneTimeBytes = families.filter((f) => f.scale === "once").reduce((n, f) => n + f.bytes, 0);
    return {
      periodMs,
      simulatedFrom: new Date(start).toISOString(),
      simulatedTo: new Date(end).toISOString(),
      runs,
      results: counts,
      families,
      perDay,
      rollupOverhead: perDay.raw > 0 ? (perDay.minuteRollups + perDay.hourRollups) / perDay.raw : 0,
      oneTimeBytes,
      steadyStateBytes:
        perDay.raw * r.rawDays + perDay.minuteRollups * r.minuteDays + perDay.hourRollups * r.hourDays +
        perDay.snapshots * r.rowHistoryDays + perDay.events * r.eventDays + oneTimeBytes,
      writeWallMs,
      collectWallMs,
    };
  } finally {
    ctx.now = realNow;
    await store.close();
  }
}
