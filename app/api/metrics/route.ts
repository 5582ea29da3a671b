import { renderMetrics } from "@/lib/server/views/prometheus";
import { route } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";

export const GET = route("viewer", async (_req, { rt }) => {
  const { body, contentType } = await renderMetrics(rt);
  return new Response(body, { headers: { "content-type": contentType } });
});
