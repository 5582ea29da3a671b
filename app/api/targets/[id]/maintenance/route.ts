import { NextResponse } from "next/server";
import { maintenanceResponseSchema } from "@/lib/api/maintenance";
import { route } from "@/lib/server/http/route";
import { targetOr404 } from "@/lib/server/views/targets";
import { maintenanceView } from "@/lib/server/views/maintenance-read";

export const dynamic = "force-dynamic";

// Running vacuums, autovacuum workers, tables needing VACUUM/ANALYZE and sequence use, from the snapshot or the store.
export const GET = route<{ id: string }>("viewer", async (_req, { params, rt }) => {
  const target = targetOr404(rt, params.id);
  return NextResponse.json(maintenanceResponseSchema.parse(await maintenanceView(rt, target)));
});
