import { NextResponse } from "next/server";
import { settingsResponseSchema } from "@/lib/api/settings";
import { route } from "@/lib/server/http/route";
import { settingsView } from "@/lib/server/views/settings-view";

export const dynamic = "force-dynamic";

/** GET /api/settings: rules, thresholds and channels, read-only; channel URLs never included. */
export const GET = route("viewer", async (_req, { rt }) => {
  return NextResponse.json(settingsResponseSchema.parse(settingsView(rt.config, rt.demo)));
});
