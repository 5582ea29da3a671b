import { NextResponse } from "next/server";
import { z } from "zod";
import { alertStatsResponseSchema } from "@/lib/api/alerts";
import { isoTime } from "@/lib/api/common";
import { alertStatsView } from "@/lib/server/views/alerts-read";
import { parseQuery } from "@/lib/server/http/parse";
import { route } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";

const querySchema = z.object({ from: isoTime.optional(), to: isoTime.optional() });

// MTTA / MTTR per rule for episodes that fired in [from, to). Without a range: the last 7 days.
export const GET = route("viewer", async (req, { rt }) => {
  const q = parseQuery(req, querySchema);
  return NextResponse.json(alertStatsResponseSchema.parse(await alertStatsView(rt.store.pool, q)));
});
