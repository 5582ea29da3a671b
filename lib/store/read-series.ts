import "server-only";
import type { Pool } from "pg";
import { z } from "zod";
import { many } from "@/lib/db/query";
import { watermarks } from "./maintenance";
import { chooseResolution, RESOLUTION_MS } from "./resolution";
import type { RangePoint, RangeResult, Resolution, SeriesRange } from "./types";

// Range reads. The source is chosen by chooseResolution (./resolution); the newest part not
// yet rolled up is read from the finer source, so a rollup read never misses the last minutes.

const seriesRow = z.object({
  id: z.number(),
  labels: z.record(z.string(), z.string()),
  kind: z.enum(["counter", "gauge"]),
});

const rawRow = z.object({ series_id: z.number(), ts: z.date(), value: z.number() });

const rollupRow = z.object({
  series_id: z.number(),
  bucket: z.date(),
  min: z.number(),
  max: z.number(),
  sum: z.number(),
  count: z.number(),
  first_ts: z.date(),
  first_value: z.number(),
  last_ts: z.date(),
  last_value: z.number(),
  inc: z.number(),
  inc_ms: z.number(),
  resets: z.number(),
});

export async function readRaw(pool: Pool, ids: number[], from: Date, to: Date): Promise<Map<number, RangePoint[]>> {
  const out = new Map<number, RangePoint[]>();
  if (to <= from) return out;
  const rows = await many(
    pool,
    rawRow,
    // Unpacked and packed samples alike (migration 012).
    `SELECT series_id, ts, value FROM pgpulse.raw_samples($1::bigint[], $2, $3) ORDER BY series_id, ts`,
    [ids, from, to],
    "samples range",
  );
  for (const r of rows) {
    const p: RangePoint = {
      ts: r.ts,
      min: r.value,
      max: r.value,
      sum: r.value,
      count: 1,
      firstTs: r.ts,
      firstValue: r.value,
      lastTs: r.ts,
      lastValue: r.value,
      inc: 0,
      incMs: 0,
      resets: 0,
    };
    (out.get(r.series_id) ?? out.set(r.series_id, []).get(r.series_id)!).push(p);
  }
  return out;
}

export async function readRollup(pool: Pool, table: "1m" | "1h", ids: number[], from: Date, to: Date): Promise<Map<number, RangePoint[]>> {
  const out = new Map<number, RangePoint[]>();
  if (to <= from) return out;
  // Fixed statement per table (no identifier built from input); minutes unpacked and packed (migration 012).
  const sql =
    table === "1m"
      ? `SELECT * FROM pgpulse.minute_rollups($1::bigint[], $2, $3) ORDER BY series_id, bucket`
      : `SELECT * FROM pgpulse.samples_1h WHERE series_id = ANY($1::bigint[]) AND bucket >= $2 AND bucket < $3 ORDER BY series_id, bucket`;
  const rows = await many(pool, rollupRow, sql, [ids, from, to], `samples_${table} range`);
  for (const r of rows) {
    const p: RangePoint = {
      ts: r.bucket,
      min: r.min,
      max: r.max,
      sum: r.sum,
      count: r.count,
      firstTs: r.first_ts,
      firstValue: r.first_value,
      lastTs: r.last_ts,
      lastValue: r.last_value,
      inc: r.inc,
      incMs: r.inc_ms,
      resets: r.resets,
    };
    (out.get(r.series_id) ?? out.set(r.series_id, []).get(r.series_id)!).push(p);
  }
  return out;
}

function floorTo(d: Date, ms: number): Date {
  return new Date(Math.floor(d.getTime() / ms) * ms);
}

/**
 * Series named `name` of a target whose labels contain `labels` (all series of that name when
 * null), with their points in [from, to).
 */
export async function seriesRange(
  pool: Pool,
  targetId: string,
  name: string,
  labels: Record<string, string> | null,
  from: Date,
  to: Date,
  opts: { resolution?: Resolution; now?: Date } = {},
): Promise<RangeResult> {
  const now = opts.now ?? new Date();
  const resolution = opts.resolution ?? chooseResolution(from, to, now);
  const series = await many(
    pool,
    seriesRow,
    `SELECT id, labels, kind FROM pgpulse.series
     WHERE target_id = $1 AND name = $2 AND ($3::jsonb IS NULL OR labels @> $3::jsonb) ORDER BY id`,
    [targetId, name, labels === null ? null : JSON.stringify(labels)],
    "series lookup",
  );
  if (series.length === 0) return { resolution, series: [] };
  const ids = series.map((s) => s.id);

  const parts: Array<Map<number, RangePoint[]>> = [];
  if (resolution === "raw") {
    parts.push(await readRaw(pool, ids, from, to));
  } else {
    const wm = await watermarks(pool);
    // Buckets start at or after the aligned `from`; the marks are bucket boundaries.
    const start = floorTo(from, RESOLUTION_MS[resolution]);
    const t = (d: Date) => d.getTime();
    const minEnd = new Date(Math.min(t(to), t(wm.minute)));
    if (resolution === "1h") {
      const hourEnd = new Date(Math.min(t(to), t(wm.hour)));
      parts.push(await readRollup(pool, "1h", ids, start, hourEnd));
      parts.push(await readRollup(pool, "1m", ids, new Date(Math.max(t(start), t(wm.hour))), minEnd));
    } else {
      parts.push(await readRollup(pool, "1m", ids, start, minEnd));
    }
    parts.push(await readRaw(pool, ids, new Date(Math.max(t(from), t(wm.minute))), to));
  }
  const result: SeriesRange[] = series.map((s) => ({
    name,
    labels: s.labels,
    kind: s.kind,
    points: parts.flatMap((p) => p.get(s.id) ?? []),
  }));
  return { resolution, series: result };
}
