import { NextResponse } from "next/server";
import { z } from "zod";
import { alertStatsResponseSchema } from "@/lib/api/alerts";
import { isoTime } from "@/lib/api/common";
import { mttaMttr } from "@/lib/alerts/read";
import { requireRole } from "@/lib/auth/require-role";
import { MAX_RANGE_MS, RANGE_MS } from "@/lib/limits";
import { HttpError, parseQuery, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

const querySchema = z.object({ from: isoTime.optional(), to: isoTime.optional() });

// MTTA / MTTR per rule for episodes that fired in [from, to). Without a range: the last 7 days.
export const GET = route(async (req, { rt }) => {
  await requireRole(req, "viewer");
  const q = parseQuery(req, querySchema);
  const to = q.to ? new Date(q.to) : new Date();
  let from = q.from ? new Date(q.from) : new Date(to.getTime() - RANGE_MS["7d"]);
  if (from >= to) throw new HttpError(400, "invalid from: must be before to", "from");
  // The server clamps what a hand-edited URL asks for to the longest range the UI offers.
  if (to.getTime() - from.getTime() > MAX_RANGE_MS) from = new Date(to.getTime() - MAX_RANGE_MS);
  const rules = await mttaMttr(rt.store.pool, { from, to });
  return NextResponse.json(alertStatsResponseSchema.parse({ from: from.toISOString(), to: to.toISOString(), rules }));
});
