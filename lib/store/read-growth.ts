import "server-only";
import type { Pool } from "pg";
import { tableGrowth } from "@/lib/analysis/growth";
import { sizeHistoryAll } from "./read-row-history";
import type { TableGrowthRow } from "./types";

// Growth of every table of a target over a window, from the table_stats row history
// (hourly averages plus the latest point), projected by the pure tableGrowth.

const DEFAULT_THRESHOLD = 10 * 1024 ** 3;

export async function tableGrowthAll(
  pool: Pool,
  targetId: string,
  now: Date,
  windowDays: number,
  thresholdBytes = DEFAULT_THRESHOLD,
): Promise<TableGrowthRow[]> {
  const from = new Date(now.getTime() - windowDays * 86_400_000);
  const rows = await sizeHistoryAll(pool, targetId, "table_stats", from, now);
  const byObject = new Map<string, Array<{ ts: Date; bytes: number }>>();
  for (const r of rows) (byObject.get(r.object_key) ?? byObject.set(r.object_key, []).get(r.object_key)!).push({ ts: r.ts, bytes: r.bytes });
  const out: TableGrowthRow[] = [];
  for (const [objectKey, points] of byObject) {
    points.sort((a, b) => a.ts.getTime() - b.ts.getTime());
    const last = points[points.length - 1];
    out.push({ objectKey, latestBytes: last.bytes, latestTs: last.ts, ...tableGrowth(points, thresholdBytes, now) });
  }
  // Over the threshold first, then the soonest crossing, then the fastest growth.
  return out.sort(
    (a, b) =>
      Number(b.alreadyOver) - Number(a.alreadyOver) ||
      (a.daysToThreshold ?? Infinity) - (b.daysToThreshold ?? Infinity) ||
      (b.growthBytesPerDay ?? -Infinity) - (a.growthBytesPerDay ?? -Infinity),
  );
}
