import pg from "pg";
import { describe, expect, it } from "vitest";
import { GET as activityGET } from "@/app/api/targets/[id]/activity/route";
import { GET as indexesGET } from "@/app/api/targets/[id]/indexes/route";
import { GET as seriesGET } from "@/app/api/targets/[id]/series/route";
import { GET as slowGET } from "@/app/api/targets/[id]/slow-queries/route";
import { GET as tablesGET } from "@/app/api/targets/[id]/tables/route";
import { GET as overviewGET } from "@/app/api/overview/route";
import { GET as replicationGET } from "@/app/api/targets/[id]/replication/route";
import { replicationResponseSchema } from "@/lib/api/replication";
import { activityResponseSchema } from "@/lib/api/activity";
import { indexesResponseSchema } from "@/lib/api/indexes";
import { overviewResponseSchema } from "@/lib/api/overview";
import { seriesResponseSchema } from "@/lib/api/series";
import { slowQueriesResponseSchema } from "@/lib/api/slow-queries";
import { tablesResponseSchema } from "@/lib/api/tables";
import { PEER_HEADER } from "@/lib/auth/peer";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import type { TestDatabase } from "@/test/db";
import { useRouteTestRuntime } from "@/test/support/route-runtime";
import { FAST_INTERVALS } from "@/test/faults/support";
import { until } from "@/test/support/wait";

// Viewers cost the target nothing: a real collector fills the snapshot and the store, then is
// stopped, and 200 concurrent requests to every read endpoint are answered while
// pg_stat_statements shows not one new statement from the monitoring role, and
// pg_stat_activity not one session of it.

const ID = "zl";

describe("read endpoints never query the target", () => {
  let target: TestDatabase;
  let admin: pg.Client;
  let rt: Pgpulse;
  let role: string;

  useRouteTestRuntime(
    {
      id: ID,
      prefix: "zl",
      intervals: FAST_INTERVALS,
      prepare: (admin) =>
        admin.query(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
      CREATE TABLE users (id int PRIMARY KEY, email text); CREATE INDEX users_email_idx ON users (email);
      INSERT INTO users SELECT g, 'u' || g || '@x.org' FROM generate_series(1, 20000) g; ANALYZE users;`),
    },
    (fx) => ({ target, admin, rt, role } = fx),
  );

  const monitorCalls = async () =>
    Number(
      (await admin.query("SELECT coalesce(sum(s.calls), 0)::bigint AS n FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = $1", [role])).rows[0].n,
    );
  const monitorSessions = async () => Number((await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1", [role])).rows[0].n);

  it("answers 200 concurrent requests from the snapshot and the store alone", async () => {
    // A slow statement for the slow-queries endpoint, while the collector runs.
    await admin.query("SELECT pg_sleep(1.2)");
    await until("every metric and the slow statement collected", async () => {
      const s = rt.snapshot(ID);
      const ready = ["stat_activity", "connections", "db_stats", "table_stats", "index_stats", "index_bloat", "slow_queries"].every((m) => s?.metrics[m]?.status === "ok");
      if (!ready) return false;
      await rt.store.flush();
      const now = new Date();
      const groups = await rt.store.slowQueryGroups(ID, new Date(now.getTime() - 3_600_000), now);
      const tables = await rt.store.latestHistoryRows(ID, "table_stats");
      return groups.some((g) => g.exampleQuery.includes("pg_sleep")) && tables !== null;
    }, 45_000, 250);
    await rt.store.flush();

    for (const c of rt.collectors.values()) await c.stop();
    await until("no monitoring session left", async () => (await monitorSessions()) === 0, 10_000, 250);
    const before = await monitorCalls();
    expect(before).toBeGreaterThan(0); // the collector did run as this role

    const now = Date.now();
    const range = `from=${new Date(now - 3_600_000).toISOString()}&to=${new Date(now).toISOString()}`;
    const base = "http://127.0.0.1/api";
    const ctx = { params: Promise.resolve({ id: ID }) };
    const calls: Array<{ name: string; run: () => Promise<Response>; schema: { parse(x: unknown): unknown } }> = [
      { name: "activity", run: () => activityGET(req(`${base}/targets/${ID}/activity`), ctx), schema: activityResponseSchema },
      { name: "tables", run: () => tablesGET(req(`${base}/targets/${ID}/tables?${range}`), ctx), schema: tablesResponseSchema },
      { name: "indexes", run: () => indexesGET(req(`${base}/targets/${ID}/indexes`), ctx), schema: indexesResponseSchema },
      { name: "slow-queries", run: () => slowGET(req(`${base}/targets/${ID}/slow-queries?${range}`), ctx), schema: slowQueriesResponseSchema },
      { name: "series", run: () => seriesGET(req(`${base}/targets/${ID}/series?metric=tps&${range}`), ctx), schema: seriesResponseSchema },
      { name: "overview", run: () => overviewGET(req(`${base}/overview`), { params: Promise.resolve({}) }), schema: overviewResponseSchema },
      { name: "replication", run: () => replicationGET(req(`${base}/targets/${ID}/replication`), ctx), schema: replicationResponseSchema },
    ];
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const c = calls[i % calls.length];
        const res = await c.run();
        return { name: c.name, status: res.status, body: (await res.json()) as unknown };
      }),
    );
    const elapsedMs = performance.now() - started;
    console.log(`200 concurrent reads answered in ${elapsedMs.toFixed(0)} ms`);

    for (const r of results) {
      expect(r.status, `${r.name}: ${JSON.stringify(r.body).slice(0, 200)}`).toBe(200);
      calls.find((c) => c.name === r.name)!.schema.parse(r.body);
    }
    const one = (name: string) => results.find((r) => r.name === name)!.body as Record<string, unknown>;
    expect((one("activity") as { takenAt: string | null }).takenAt).not.toBeNull();
    expect((one("tables") as { rows: Array<{ table: string }> }).rows.map((r) => r.table)).toContain("users");
    expect((one("indexes") as { rows: Array<{ index: string }> }).rows.map((r) => r.index)).toEqual(expect.arrayContaining(["users_pkey", "users_email_idx"]));
    expect((one("slow-queries") as { groups: Array<{ example: string | null }> }).groups.some((g) => g.example?.includes("pg_sleep"))).toBe(true);
    expect((one("overview") as { targets: Array<{ id: string }> }).targets.map((t) => t.id)).toEqual([ID]);
    expect((one("replication") as { role: { role: string | null } }).role.role).toBe("primary");

    // Nothing reached the target from those 200 requests.
    await new Promise((r) => setTimeout(r, 500));
    expect(await monitorCalls()).toBe(before);
    expect(await monitorSessions()).toBe(0);
    // On the target only: other test files on the shared server open action sessions of their own.
    const actionSessions = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'pgpulse-action' AND datname = $1", [target.name]);
    expect(actionSessions.rows[0].n).toBe(0);
  }, 120_000);
});

function req(url: string): Request {
  // Host as a browser sends it: route handlers answer only for the names pgpulse serves.
  return new Request(url, { headers: { [PEER_HEADER]: "127.0.0.1", host: new URL(url).host } });
}
