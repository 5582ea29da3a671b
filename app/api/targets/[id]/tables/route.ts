import { NextResponse } from "next/server";
import { z } from "zod";
import { isoTime } from "@/lib/api/common";
import { tablesResponseSchema } from "@/lib/api/tables";
import { requireRole } from "@/lib/auth/require-role";
import { env } from "@/lib/env";
import { MAX_RANGE_MS } from "@/lib/limits";
import { parseQuery, route, targetOr404 } from "@/lib/server/route";
import { parseRows, tableRow } from "@/lib/server/views/rows";
import { availability, currentRows, rowsAt, type Rows } from "@/lib/server/views/sources";
import { toTables, type TimedRows } from "@/lib/server/views/tables";

export const dynamic = "force-dynamic";

const querySchema = z
  .object({ from: isoTime.optional(), to: isoTime.optional() })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), { message: "from must be before to", path: ["from"] });

const GROWTH_WINDOW_DAYS = 7;

const timed = (r: Rows | null): TimedRows | null => (r ? { ts: r.ts, rows: parseRows(r.rows, tableRow).rows } : null);

// The latest table_stats snapshot, rates over [from, to] from two snapshots, growth from the
// store's size history. Everything from the snapshot or the store, never the target.
export const GET = route<{ id: string }>(async (req, { params, rt }) => {
  await requireRole(req, "viewer");
  const target = targetOr404(rt, params.id);
  const q = parseQuery(req, querySchema);
  const now = new Date();
  const to = q.to ? new Date(Math.min(Date.parse(q.to), now.getTime())) : now;
  const from = new Date(Math.max(q.from ? Date.parse(q.from) : to.getTime() - 3_600_000, to.getTime() - MAX_RANGE_MS));
  const threshold = rt.thresholds(target.id).tableSizeBytes;
  const demoBytes = env().PGPULSE_DEMO_TABLE_SIZE_BYTES;

  const [latest, rateEnd, rateStart, growth, unavailable] = await Promise.all([
    currentRows(rt, target.id, "table_stats"),
    rowsAt(rt, target.id, "table_stats", to),
    firstSnapshotIn(rt, target.id, from, to),
    rt.store.tableGrowthAll(target.id, now, GROWTH_WINDOW_DAYS, threshold),
    availability(rt, target.id, ["table_stats"]),
  ]);
  const body = toTables({
    targetId: target.id,
    latest: timed(latest),
    rateEnd: timed(rateEnd),
    rateStart: timed(rateStart),
    growth,
    thresholdBytes: threshold,
    thresholdIsDemo: rt.demo && demoBytes !== undefined && demoBytes === threshold,
    unavailable: unavailable.table_stats,
  });
  return NextResponse.json(tablesResponseSchema.parse(body));
});

/**
 * The rates' start: the last snapshot at or before `from`. When history begins inside the range
 * (a fresh install), the earliest snapshot found at a few points into it, so a young store still
 * gives a rate over the part of the range it covers.
 */
async function firstSnapshotIn(rt: Parameters<typeof currentRows>[0], targetId: string, from: Date, to: Date): Promise<Rows | null> {
  const span = to.getTime() - from.getTime();
  for (const f of [0, 0.25, 0.5, 0.75, 0.9]) {
    const r = await rt.store.snapshotAt(targetId, "table_stats", new Date(from.getTime() + f * span));
    // Simulated demo history carries sizes only: a snapshot without counters cannot start a rate.
    if (r && r.rows.some((row) => typeof (row as { n_tup_ins?: unknown }).n_tup_ins === "number")) return r;
  }
  return null;
}
