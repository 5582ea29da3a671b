import "server-only";
import type { Pool } from "pg";
import { z } from "zod";
import { many } from "@/lib/db/query";
import { watermarks } from "./maintenance";
import { readRaw, readRollup } from "./read-series";
import { RESOLUTION_MS } from "./resolution";
import type { RangePoint, RangeResult, SeriesReader } from "./types";

// Reads for the fleet overview, batched over every target: a few statements for 200 targets
// instead of a few per target (which the read gate's queue could not even hold).

const seriesRow = z.object({
  id: z.number(),
  target_id: z.string(),
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  kind: z.enum(["counter", "gauge"]),
});

const floorTo = (ms: number, step: number) => Math.floor(ms / step) * step;

/**
 * The named series of every given target over [from, to), at minute resolution (the minute
 * rollups, then the raw samples past the rollup watermark: a minute-old figure is fresh on a
 * fleet list and costs a fifth of the rows). The answer is a SeriesReader over memory, so
 * getSeries derives rates, ratios and gauges exactly as for one target; it serves only
 * "1m" reads inside the window it was given.
 */
export async function prefetchSeries(pool: Pool, targetIds: readonly string[], names: readonly string[], from: Date, to: Date): Promise<SeriesReader> {
  const series = targetIds.length
    ? await many(
        pool,
        seriesRow,
        `SELECT id, target_id, name, labels, kind FROM pgpulse.series WHERE target_id = ANY($1::text[]) AND name = ANY($2::text[]) ORDER BY id`,
        [targetIds, names],
        "fleet: series lookup",
      )
    : [];
  const ids = series.map((s) => s.id);
  const wm = await watermarks(pool);
  const rollupEnd = Math.min(to.getTime(), wm.minute.getTime());
  const rawFrom = Math.max(from.getTime(), wm.minute.getTime());
  const [rollups, raw] = ids.length
    ? await Promise.all([
        readRollup(pool, "1m", ids, new Date(floorTo(from.getTime(), RESOLUTION_MS["1m"])), new Date(rollupEnd)),
        readRaw(pool, ids, new Date(rawFrom), to),
      ])
    : [new Map<number, RangePoint[]>(), new Map<number, RangePoint[]>()];

  const byTargetName = new Map<string, typeof series>();
  for (const s of series) {
    const k = `${s.target_id}\u0000${s.name}`;
    (byTargetName.get(k) ?? byTargetName.set(k, []).get(k)!).push(s);
  }

  return {
    async seriesRange(targetId, name, labels, f, t, opts): Promise<RangeResult> {
      if (opts?.resolution !== "1m") throw new Error("prefetched fleet series answer minute-resolution reads only");
      if (f < from || t > to) throw new Error("read outside the prefetched fleet window");
      const start = floorTo(f.getTime(), RESOLUTION_MS["1m"]);
      const end = Math.min(t.getTime(), wm.minute.getTime());
      const rawStart = Math.max(f.getTime(), wm.minute.getTime());
      const matching = (byTargetName.get(`${targetId}\u0000${name}`) ?? []).filter((s) => labels === null || Object.entries(labels).every(([k, v]) => s.labels[k] === v));
      return {
        resolution: "1m",
        series: matching.map((s) => ({
          name,
          labels: s.labels,
          kind: s.kind,
          points: [
            ...(rollups.get(s.id) ?? []).filter((p) => p.ts.getTime() >= start && p.ts.getTime() < end),
            ...(raw.get(s.id) ?? []).filter((p) => p.ts.getTime() >= rawStart && p.ts.getTime() < t.getTime()),
          ],
        })),
      };
    },
    slowQueryCounts() {
      throw new Error("prefetched fleet series hold no slow-query events");
    },
  };
}
