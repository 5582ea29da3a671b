import { NextResponse } from "next/server";
import { z } from "zod";
import { notificationListResponseSchema } from "@/lib/api/alerts";
import { notificationsView, parseId } from "@/lib/server/views/alerts-read";
import { parseQuery } from "@/lib/server/http/parse";
import { route } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";

const querySchema = z.object({ alert: z.string({ error: "required" }).min(1, "required") });

/** GET /api/notifications?alert={id}: every notification of the alert with its attempts. */
export const GET = route("viewer", async (req, { rt }) => {
  const alertId = parseId(parseQuery(req, querySchema).alert, "alert");
  return NextResponse.json(notificationListResponseSchema.parse(await notificationsView(rt.store.pool, alertId)));
});
