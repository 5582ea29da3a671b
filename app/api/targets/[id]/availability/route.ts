import { NextResponse } from "next/server";
import { availabilityResponseSchema } from "@/lib/api/availability";
import { route } from "@/lib/server/http/route";
import { targetOr404 } from "@/lib/server/views/targets";
import { availabilityView } from "@/lib/server/views/availability-read";

export const dynamic = "force-dynamic";

// Per metric: collected, unavailable (and why), failing, or not reported yet.
export const GET = route<{ id: string }>("viewer", async (_req, { params, rt }) => {
  const target = targetOr404(rt, params.id);
  return NextResponse.json(availabilityResponseSchema.parse(await availabilityView(rt, target.id)));
});
