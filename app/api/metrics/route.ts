import { requireRole } from "@/lib/auth/require-role";
import { renderMetrics } from "@/lib/server/prometheus";
import { route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const GET = route(async (req, { rt }) => {
  await requireRole(req, "viewer");
  const { body, contentType } = await renderMetrics(rt);
  return new Response(body, { headers: { "content-type": contentType } });
});
