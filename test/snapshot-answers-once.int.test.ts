import { describe, expect, it } from "vitest";
import { GET as activityGET } from "@/app/api/targets/[id]/activity/route";
import { GET as indexesGET } from "@/app/api/targets/[id]/indexes/route";
import { GET as tablesGET } from "@/app/api/targets/[id]/tables/route";
import { GET as healthGET } from "@/app/api/health/route";
import { PEER_HEADER } from "@/lib/auth/peer";
import { answerCacheCounts } from "@/lib/server/views/answer-cache";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { useRouteTestRuntime } from "@/test/support/route-runtime";

// Snapshot routes build and validate their answer once per snapshot version: two requests on
// the same snapshot do the work once, and the answer changes when a new result lands. The
// collector runs for real; its cadences are an hour so that only runNow() lands a new result.

const ID = "once";
const HOUR = 3_600_000;

describe("snapshot answers are built once per snapshot", () => {
  let rt: Pgpulse;
  useRouteTestRuntime(
    {
      id: ID,
      prefix: "once",
      intervals: { server: 1_000, stat_activity: HOUR, connections: HOUR, db_stats: HOUR, index_stats: HOUR, index_bloat: HOUR, table_stats: HOUR },
      prepare: (admin) => admin.query("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 100); ANALYZE t"),
    },
    (fx) => ({ rt } = fx),
  );

  const ctx = { params: Promise.resolve({ id: ID }) };
  const get = async (handler: (r: Request, c: typeof ctx) => Promise<Response>, path: string) => {
    const res = await handler(req(`http://127.0.0.1/api${path}`), ctx);
    expect(res.status, path).toBe(200);
    return res.text();
  };
  const ready = () => ["stat_activity", "connections", "index_stats", "index_bloat", "table_stats"].every((m) => rt.snapshot(ID)?.metrics[m]?.status === "ok");

  it("answers two requests on one snapshot with one build, and a new snapshot with a new one", async () => {
    await waitFor(ready, 45_000);
    for (const [handler, path] of [
      [activityGET, `/targets/${ID}/activity`],
      [tablesGET, `/targets/${ID}/tables`],
      [indexesGET, `/targets/${ID}/indexes`],
    ] as const) {
      const before = answerCacheCounts();
      const [a, b] = await Promise.all([get(handler, path), get(handler, path)]);
      const c = await get(handler, path);
      const after = answerCacheCounts();
      expect({ path, builds: after.builds - before.builds, hits: after.hits - before.hits }).toEqual({ path, builds: 1, hits: 2 });
      expect(b).toBe(a);
      expect(c).toBe(a);
    }

    // A new stat_activity result lands: the next request builds once and shows it.
    const first = JSON.parse(await get(activityGET, `/targets/${ID}/activity`)) as { takenAt: string };
    await new Promise((r) => setTimeout(r, 5));
    await rt.collectors.get(ID)!.runNow("stat_activity");
    const before = answerCacheCounts();
    const second = JSON.parse(await get(activityGET, `/targets/${ID}/activity`)) as { takenAt: string };
    expect(answerCacheCounts().builds - before.builds).toBe(1);
    expect(Date.parse(second.takenAt)).toBeGreaterThan(Date.parse(first.takenAt));
    expect(second.takenAt).toBe(rt.snapshot(ID)!.metrics.stat_activity.ts.toISOString());
  }, 90_000);

  it("answers health once per change of state", async () => {
    const before = answerCacheCounts();
    const [a, b] = await Promise.all([get(healthGET, "/health"), get(healthGET, "/health")]);
    expect(b).toBe(a);
    expect(answerCacheCounts().builds - before.builds).toBeLessThanOrEqual(1);
    expect(JSON.parse(a)).toMatchObject({ status: expect.any(String), targets: [{ id: ID }] });
  });
});

function req(url: string): Request {
  return new Request(url, { headers: { [PEER_HEADER]: "127.0.0.1", host: new URL(url).host } });
}

async function waitFor(pred: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 250));
  }
}
