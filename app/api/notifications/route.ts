import { NextResponse } from "next/server";
import { z } from "zod";
import { notificationListResponseSchema } from "@/lib/api/alerts";
import { requireRole } from "@/lib/auth/require-role";
import { notificationsView, parseId } from "@/lib/server/alerts-read";
import { parseQuery, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

const querySchema = z.object({ alert: z.string({ error: "required" }).min(1, "required") });

/** GET /api/notifications?alert={id}: every notification of the alert with its attempts. */
export const GET = route(async (req, { rt }) => {
  await requireRole(req, "viewer");
  const alertId = parseId(parseQuery(req, querySchema).alert, "alert");
  return NextResponse.json(notificationListResponseSchema.parse(await notificationsView(rt.store.pool, alertId)));
});
