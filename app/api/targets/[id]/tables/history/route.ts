import { NextResponse } from "next/server";
import { tableHistoryQuerySchema, tableHistoryResponseSchema } from "@/lib/api/tables";
import { requireRole } from "@/lib/auth/require-role";
import { MAX_RANGE_MS } from "@/lib/limits";
import { HttpError, parseQuery, route, targetOr404 } from "@/lib/server/route";
import { tableKey } from "@/lib/server/views/tables";

export const dynamic = "force-dynamic";

// A table's total size over the range, from the store's low-cadence snapshots.
export const GET = route<{ id: string }>(async (req, { params, rt }) => {
  await requireRole(req, "viewer");
  const target = targetOr404(rt, params.id);
  const q = parseQuery(req, tableHistoryQuerySchema);
  const to = new Date(q.to);
  const from = new Date(Math.max(Date.parse(q.from), to.getTime() - MAX_RANGE_MS));
  if (from >= to) throw new HttpError(400, "invalid from: from must be before to", "from");
  const points = await rt.store.snapshotsFor(target.id, "table_stats", tableKey(q.schema, q.table), from, to);
  return NextResponse.json(
    tableHistoryResponseSchema.parse({
      schema: q.schema,
      table: q.table,
      unit: "bytes",
      points: points.map((p) => [p.ts.toISOString(), p.bytes]),
    }),
  );
});
