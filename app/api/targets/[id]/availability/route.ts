import { NextResponse } from "next/server";
import { availabilityResponseSchema } from "@/lib/api/availability";
import { requireRole } from "@/lib/auth/require-role";
import { route, targetOr404 } from "@/lib/server/route";
import { availabilityMap } from "@/lib/server/views/availability";

export const dynamic = "force-dynamic";

// Per metric: collected, unavailable (and why), failing, or not reported yet.
export const GET = route<{ id: string }>(async (req, { params, rt }) => {
  await requireRole(req, "viewer");
  const target = targetOr404(rt, params.id);
  const snap = rt.snapshot(target.id);
  const stored = await rt.store.metricStatus(target.id);
  const metrics = availabilityMap(snap?.metrics ?? {}, Object.keys(snap?.tasks ?? {}), stored);
  return NextResponse.json(availabilityResponseSchema.parse({ targetId: target.id, metrics }));
});
