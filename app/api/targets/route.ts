import { NextResponse } from "next/server";
import { targetListSchema } from "@/lib/api/targets";
import { route } from "@/lib/server/http/route";
import { summarizeTarget } from "@/lib/server/views/targets";

export const dynamic = "force-dynamic";

export const GET = route("viewer", (_req, { rt }) => {
  return NextResponse.json(targetListSchema.parse({ targets: rt.targets.map((t) => summarizeTarget(t, rt.snapshot(t.id))) }));
});
