import { NextResponse } from "next/server";
import { maintenanceQuerySchema, maintenanceResponseSchema } from "@/lib/api/maintenance";
import { parseQuery } from "@/lib/server/http/parse";
import { route } from "@/lib/server/http/route";
import { targetOr404 } from "@/lib/server/views/targets";
import { maintenanceView } from "@/lib/server/views/maintenance-read";

export const dynamic = "force-dynamic";

// Running vacuums, autovacuum workers, tables needing VACUUM/ANALYZE and sequence use, from the
// snapshot or the store; checkpoints over `window` (default 1h) from the store's samples.
export const GET = route<{ id: string }>("viewer", async (req, { params, rt }) => {
  const target = targetOr404(rt, params.id);
  const q = parseQuery(req, maintenanceQuerySchema);
  return NextResponse.json(maintenanceResponseSchema.parse(await maintenanceView(rt, target, q.window)));
});
