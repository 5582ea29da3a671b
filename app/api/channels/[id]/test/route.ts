import { NextResponse } from "next/server";
import { z } from "zod";
import { testNotificationResponseSchema } from "@/lib/api/settings";
import { recordAudit } from "@/lib/auth/audit";
import { sourceAddress } from "@/lib/auth/identify";
import { requireRole } from "@/lib/auth/require-role";
import { authSettings } from "@/lib/auth/settings";
import { mapAlertError } from "@/lib/server/alerts-read";
import { parseInput, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: z.string().min(1).max(100) });

/** POST /api/channels/{id}/test (admin): one test message, sent now, outside the outbox. */
export const POST = route<{ id: string }>(async (req, { params, rt }) => {
  const { actor } = await requireRole(req, "admin");
  const { id } = parseInput(params, paramsSchema);
  const result = await rt.delivery.sendTestNotification(id).catch(mapAlertError);
  const at = new Date();
  // It reaches an outside system in pgpulse's name, so it is recorded like any other action.
  await recordAudit(rt.store.pool, {
    actor,
    action: "channel.test",
    object: `channel:${id}`,
    after: { ok: result.ok, statusCode: result.statusCode, error: result.error },
    sourceAddress: sourceAddress(req.headers, authSettings()),
  });
  return NextResponse.json(
    testNotificationResponseSchema.parse({ channelId: id, ok: result.ok, statusCode: result.statusCode, error: result.error, at: at.toISOString() }),
  );
});
