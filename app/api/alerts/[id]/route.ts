import { NextResponse } from "next/server";
import { alertDetailResponseSchema } from "@/lib/api/alerts";
import { requireRole } from "@/lib/auth/require-role";
import { alertDetailView, parseId, viewOptions } from "@/lib/server/alerts-read";
import { route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (req, { params, rt }) => {
  const { actor } = await requireRole(req, "viewer");
  const id = parseId(params.id);
  const opts = await viewOptions(rt.store.pool, actor.role, (t) => rt.target(t)?.name);
  return NextResponse.json(alertDetailResponseSchema.parse(await alertDetailView(rt.store.pool, id, opts)));
});
