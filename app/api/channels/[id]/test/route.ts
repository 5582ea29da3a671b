import { NextResponse } from "next/server";
import { z } from "zod";
import { nameParam } from "@/lib/api/common";
import { testNotificationResponseSchema } from "@/lib/api/settings";
import { testChannel } from "@/lib/server/commands/alert-actions";
import { parseInput } from "@/lib/server/http/parse";
import { route } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: nameParam(100) });

/** POST /api/channels/{id}/test (admin): one test message, sent now, outside the outbox; audited. */
export const POST = route<{ id: string }>("admin", async (_req, { params, rt, actor, source }) => {
  const { id } = parseInput(params, paramsSchema);
  return NextResponse.json(testNotificationResponseSchema.parse(await testChannel(rt, actor, id, source)));
});
