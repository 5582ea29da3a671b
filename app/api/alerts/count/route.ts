import { NextResponse } from "next/server";
import { alertCountSchema } from "@/lib/api/alerts";
import { alertCounts } from "@/lib/alerts/read";
import { route } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";

// The nav badge, polled by every open page: one aggregate over the open alerts. The contract
// keeps only what the badge shows.
export const GET = route("viewer", async (_req, { rt }) => {
  return NextResponse.json(alertCountSchema.parse(await alertCounts(rt.store.pool)));
});
