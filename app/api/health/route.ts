import { healthSchema, healthStatusSchema } from "@/lib/api/health";
import { allows } from "@/lib/auth/policy";
import { publicRoute } from "@/lib/server/http/route";
import { jsonAnswer, oncePerVersion } from "@/lib/server/views/answer-cache";
import { healthVersion } from "@/lib/server/views/health";

export const dynamic = "force-dynamic";

// Liveness for load balancers, public. 200 even when targets are down: pgpulse itself is
// serving; the status says what is wrong. Details only for a caller who may read them.
// Built once per change of the targets' or the store's state, or a new read of the fleet.
export const GET = publicRoute(async (_req, { rt, actor }) => {
  const details = !!actor && allows("viewer", actor.role);
  const version = healthVersion(rt.targets.map((t) => rt.state(t.id)), rt.store.status(), rt.fleet());
  return jsonAnswer(
    await oncePerVersion(rt, details ? "health:details" : "health:status", version, async () => {
      const health = rt.health();
      return JSON.stringify(details ? healthSchema.parse(health) : healthStatusSchema.parse({ status: health.status }));
    }),
  );
});
