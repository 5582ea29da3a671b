import { NextResponse } from "next/server";
import { alertDetailResponseSchema } from "@/lib/api/alerts";
import { alertDetailView, parseId } from "@/lib/server/views/alerts-read";
import { route } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>("viewer", async (_req, { params, rt, actor }) => {
  const id = parseId(params.id);
  return NextResponse.json(alertDetailResponseSchema.parse(await alertDetailView(rt, actor.role, id)));
});
