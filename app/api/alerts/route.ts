import { NextResponse } from "next/server";
import { alertListResponseSchema } from "@/lib/api/alerts";
import { requireRole } from "@/lib/auth/require-role";
import { alertListView, parseAlertListQuery, viewOptions } from "@/lib/server/alerts-read";
import { route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const GET = route(async (req, { rt }) => {
  const { actor } = await requireRole(req, "viewer");
  const q = parseAlertListQuery(new URL(req.url));
  const opts = await viewOptions(rt.store.pool, actor.role, (id) => rt.target(id)?.name);
  return NextResponse.json(alertListResponseSchema.parse(await alertListView(rt.store.pool, q, opts)));
});
