import { describe, expect, it } from "vitest";
import { GET as activityGET } from "@/app/api/targets/[id]/activity/route";
import { GET as indexesGET } from "@/app/api/targets/[id]/indexes/route";
import { GET as tablesGET } from "@/app/api/targets/[id]/tables/route";
import { GET as healthGET } from "@/app/api/health/route";
import { PEER_HEADER } from "@/lib/auth/peer";
import { answerCacheCounts } from "@/lib/server/views/answer-cache";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { SNAPSHOT_ONCE_INTERVALS, snapshotLanded, useRouteTestRuntime } from "@/test/support/route-runtime";
import { until } from "@/test/support/wait";

// Snapshot routes build and validate their answer once per snapshot version: two requests on
// the same snapshot do the work once, and the answer changes when a new result lands. The
// collector runs for real; its cadences are an hour so that only runNow() lands a new result.

const ID = "once";

describe("snapshot answers are built once per snapshot", () => {
  let rt: Pgpulse;
  useRouteTestRuntime(
    {
      id: ID,
      prefix: "once",
      intervals: SNAPSHOT_ONCE_INTERVALS,
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
  const ready = () => snapshotLanded(rt, ID);

  it("answers two requests on one snapshot with one build, and a new snapshot with a new one", async () => {
    await until("every snapshot metric landed", ready, 45_000);
    // Tables and indexes keep the whole list, then its JSON: two builds on a first request.
    for (const [handler, path, builds] of [
      [activityGET, `/targets/${ID}/activity`, 1],
      [tablesGET, `/targets/${ID}/tables`, 2],
      [indexesGET, `/targets/${ID}/indexes`, 2],
    ] as const) {
      const before = answerCacheCounts();
      const [a, b] = await Promise.all([get(handler, path), get(handler, path)]);
      const c = await get(handler, path);
      const after = answerCacheCounts();
      expect({ path, builds: after.builds - before.builds, hits: after.hits - before.hits }).toEqual({ path, builds, hits: 2 });
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

  it("answers a page of tables and indexes cut from the cached list, and every row as CSV", async () => {
    await until("every snapshot metric landed", ready, 45_000);
    const full = JSON.parse(await get(tablesGET, `/targets/${ID}/tables`)) as { rows: Array<{ table: string; parent: string | null }> };
    const before = answerCacheCounts();
    const page = JSON.parse(await get(tablesGET, `/targets/${ID}/tables?limit=1&sort=table&dir=asc&q=t`)) as { rows: Array<{ table: string }>; page: unknown };
    expect(answerCacheCounts().builds - before.builds).toBe(0);
    const matching = full.rows.filter((r) => r.parent === null && `public.${r.table}`.includes("t"));
    expect(page.page).toEqual({ total: matching.length, offset: 0, limit: 1 });
    expect(page.rows.map((r) => r.table)).toEqual([matching.map((r) => r.table).sort()[0]]);

    const idx = JSON.parse(await get(indexesGET, `/targets/${ID}/indexes?limit=5&q=t_pkey`)) as { rows: Array<{ index: string }>; page: { total: number } };
    expect(idx.rows.map((r) => r.index)).toEqual(["t_pkey"]);
    expect(idx.page.total).toBe(1);

    const csv = await tablesGET(req(`http://127.0.0.1/api/targets/${ID}/tables?format=csv&q=public.t`), ctx);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toMatch(/^schema,table,parent,/);
    expect(lines.slice(1).some((l) => l.startsWith("public,t,"))).toBe(true);

    for (const [query, param] of [["limit=0", "limit"], ["limit=501", "limit"], ["sort=bogus", "sort"], ["dir=up", "dir"], ["offset=-1", "offset"], ["format=xml", "format"]]) {
      const res = await tablesGET(req(`http://127.0.0.1/api/targets/${ID}/tables?${query}`), ctx);
      expect([query, res.status, ((await res.json()) as { param?: string }).param]).toEqual([query, 400, param]);
    }
  }, 60_000);

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
