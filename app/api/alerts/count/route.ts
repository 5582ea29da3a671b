import { NextResponse } from "next/server";
import { alertCountSchema } from "@/lib/api/alerts";
import { alertCounts } from "@/lib/alerts/read";
import { requireRole } from "@/lib/auth/require-role";
import { route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

// The nav badge, polled by every open page: one aggregate over the open alerts.
export const GET = route(async (req, { rt }) => {
  await requireRole(req, "viewer");
  const c = await alertCounts(rt.store.pool);
  return NextResponse.json(alertCountSchema.parse({ firing: c.firing, pending: c.pending }));
});
