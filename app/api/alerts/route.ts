import { NextResponse } from "next/server";
import { alertListResponseSchema } from "@/lib/api/alerts";
import { alertListView, parseAlertListQuery } from "@/lib/server/views/alerts-read";
import { route } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";

export const GET = route("viewer", async (req, { rt, actor }) => {
  const q = parseAlertListQuery(new URL(req.url));
  return NextResponse.json(alertListResponseSchema.parse(await alertListView(rt, actor.role, q)));
});
