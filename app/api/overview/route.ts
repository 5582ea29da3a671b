import { overviewResponseSchema } from "@/lib/api/overview";
import { REFRESH_MS } from "@/lib/limits";
import { route } from "@/lib/server/http/route";
import { jsonAnswer, oncePerVersion } from "@/lib/server/views/answer-cache";
import { overviewView } from "@/lib/server/views/overview-read";

export const dynamic = "force-dynamic";

// Viewers of a 200-target fleet share one build per slice of a refresh interval: the answer
// reads the whole fleet's series and alerts, so it is made once for all of them.
const SHARED_FOR_MS = REFRESH_MS.overview / 3;

// GET /api/overview — one row per target, from snapshots, the store and the alert table.
export const GET = route("viewer", async (_req, { rt }) => {
  const slice = Math.floor(Date.now() / SHARED_FOR_MS);
  return jsonAnswer(await oncePerVersion(rt, "overview", [slice], async () => JSON.stringify(overviewResponseSchema.parse(await overviewView(rt)))));
});
