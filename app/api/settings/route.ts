import { NextResponse } from "next/server";
import { settingsResponseSchema } from "@/lib/api/settings";
import { requireRole } from "@/lib/auth/require-role";
import { route } from "@/lib/server/route";
import { settingsView } from "@/lib/server/settings-view";

export const dynamic = "force-dynamic";

/** GET /api/settings: rules, thresholds and channels, read-only; channel URLs never included. */
export const GET = route(async (req, { rt }) => {
  await requireRole(req, "viewer");
  return NextResponse.json(settingsResponseSchema.parse(settingsView(rt.config, rt.demo)));
});
