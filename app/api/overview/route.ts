import { NextResponse } from "next/server";
import { overviewResponseSchema } from "@/lib/api/overview";
import { route } from "@/lib/server/http/route";
import { overviewView } from "@/lib/server/views/overview-read";

export const dynamic = "force-dynamic";

// GET /api/overview — one row per target, from snapshots, the store and the alert table.
export const GET = route("viewer", async (_req, { rt }) => {
  return NextResponse.json(overviewResponseSchema.parse(await overviewView(rt)));
});
