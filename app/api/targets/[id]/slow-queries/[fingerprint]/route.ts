import { NextResponse } from "next/server";
import { z } from "zod";
import { timeRangeQuerySchema } from "@/lib/api/common";
import { slowQueryDetailSchema } from "@/lib/api/slow-queries";
import { parseInput, parseQuery } from "@/lib/server/http/parse";
import { route } from "@/lib/server/http/route";
import { targetOr404 } from "@/lib/server/views/targets";
import { slowQueryDetailView } from "@/lib/server/views/slow-queries-read";

export const dynamic = "force-dynamic";

const fingerprintSchema = z.string().regex(/^[0-9a-f]{16}$/, "must be 16 hex digits");

// One fingerprint: its group figures, mean duration per bucket and example texts.
export const GET = route<{ id: string; fingerprint: string }>("viewer", async (req, { params, rt, actor }) => {
  const target = targetOr404(rt, params.id);
  const fingerprint = parseInput({ fingerprint: params.fingerprint }, z.object({ fingerprint: fingerprintSchema })).fingerprint;
  const q = parseQuery(req, timeRangeQuerySchema);
  return NextResponse.json(slowQueryDetailSchema.parse(await slowQueryDetailView(rt, target.id, actor.role, fingerprint, q)));
});
