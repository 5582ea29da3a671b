import { NextResponse } from "next/server";
import { healthSchema, healthStatusSchema } from "@/lib/api/health";
import { allows } from "@/lib/auth/policy";
import { publicRoute } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";

// Liveness for load balancers, public. 200 even when targets are down: pgpulse itself is
// serving; the status says what is wrong. Details only for a caller who may read them.
export const GET = publicRoute((_req, { rt, actor }) => {
  const health = rt.health();
  if (actor && allows("viewer", actor.role)) return NextResponse.json(healthSchema.parse(health));
  return NextResponse.json(healthStatusSchema.parse({ status: health.status }));
});
