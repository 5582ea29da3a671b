import { NextResponse } from "next/server";
import { trendsQuerySchema, trendsResponseSchema } from "@/lib/api/trends";
import { parseQuery } from "@/lib/server/http/parse";
import { route } from "@/lib/server/http/route";
import { trendsView } from "@/lib/server/views/trends-read";

export const dynamic = "force-dynamic";

// The weekly trend figures: one ISO week against the week before, for one target or all.
export const GET = route("viewer", async (req, { rt, actor }) => {
  const q = parseQuery(req, trendsQuerySchema);
  return NextResponse.json(trendsResponseSchema.parse(await trendsView(rt, q, actor.role)));
});
