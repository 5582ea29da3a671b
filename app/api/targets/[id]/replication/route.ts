import { NextResponse } from "next/server";
import { replicationResponseSchema } from "@/lib/api/replication";
import { route } from "@/lib/server/http/route";
import { targetOr404 } from "@/lib/server/views/targets";
import { replicationView } from "@/lib/server/views/replication-read";

export const dynamic = "force-dynamic";

// Role, standbys or own replay, slots, WAL rate, archiving and the newest backup, from the snapshot or the store.
export const GET = route<{ id: string }>("viewer", async (_req, { params, rt }) => {
  const target = targetOr404(rt, params.id);
  return NextResponse.json(replicationResponseSchema.parse(await replicationView(rt, target)));
});
