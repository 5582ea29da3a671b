import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { serverUrl, withClient } from "@/test/db";
import { prepareDemoDatabase, type PreparedDemo } from "./prepare";

// prepareDemoDatabase on the shared test server, with unique names and a tiny seed.

const suffix = randomBytes(4).toString("hex");
const database = `kundli_${suffix}`;
const storeDatabase = `store_${suffix}`;
const monitorRole = `mon_${suffix}`;
const adminUrl = serverUrl(17);
const server = { url: (db = "postgres") => adminUrl.replace(/\/postgres$/, `/${db}`) };
const password = randomBytes(18).toString("base64url");

const admin = <T>(fn: (c: pg.Client) => Promise<T>, url = adminUrl): Promise<T> => withClient(url, fn);

afterAll(async () => {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await c.query(`DROP DATABASE IF EXISTS ${storeDatabase} WITH (FORCE)`);
    await c.query(`DROP ROLE IF EXISTS ${monitorRole}; DROP ROLE IF EXISTS ${monitorRole}_explain`);
  });
});

describe("prepareDemoDatabase", () => {
  let first: PreparedDemo;

  it("creates, seeds and sets up the demo databases", async () => {
    const steps: string[] = [];
    first = await prepareDemoDatabase({ server, seedScale: 0.01, monitorPassword: password, database, storeDatabase, monitorRole, onProgress: (p) => steps.push(`${p.step}:${p.pct}`) });
    expect(first.seed).toMatchObject({ seeded: true, users: 500, charts: 3000 });
    expect(steps.at(-1)).toBe("vacuum analyze:100");
    expect(first.setup.filter((a) => a.status === "failed")).toEqual([]);

    const counts = await admin(async (c) => (await c.query(`SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM birth_charts)::int AS charts,
      (SELECT count(*) FROM planetary_positions)::int AS positions, (SELECT count(*) FROM query_cache)::int AS cache, (SELECT count(*) FROM audit_log)::int AS audit,
      (SELECT count(DISTINCT user_id)::int FROM birth_charts WHERE user_id NOT IN (SELECT id FROM users)) AS orphans,
      (SELECT min(n) FROM (SELECT count(*) AS n FROM planetary_positions GROUP BY birth_chart_id) x)::int AS min_per_chart,
      (SELECT max(n) FROM (SELECT count(*) AS n FROM planetary_positions GROUP BY birth_chart_id) x)::int AS max_per_chart,
      (SELECT count(*) FROM pg_stats WHERE tablename = 'planetary_positions')::int > 0 AS analyzed`)).rows[0], first.adminUrl);
    expect(counts).toEqual({ users: 500, charts: 3000, positions: 29_700, cache: 2000, audit: 1000, orphans: 0, min_per_chart: 9, max_per_chart: 10, analyzed: true });
  });

  it("reuses the seed on a second start, and the monitoring URL is read-only", async () => {
    const again = await prepareDemoDatabase({ server, seedScale: 0.01, monitorPassword: password, database, storeDatabase, monitorRole });
    expect(again.seed.seeded).toBe(false);
    expect(again.setup.every((a) => a.status === "exists")).toBe(true);
    expect(again.monitorUrl).toContain(monitorRole);
    await admin(async (c) => {
      const r = await c.query(`SELECT current_user AS u, pg_has_role(current_user, 'pg_monitor', 'MEMBER') AS m, count(*)::int AS n FROM slow_query_log`);
      expect(r.rows[0]).toEqual({ u: monitorRole, m: true, n: 0 });
      await expect(c.query(`INSERT INTO slow_query_log (query_text) VALUES ('x')`)).rejects.toMatchObject({ code: "25006" });
    }, again.monitorUrl);
    // The planning role (the target's explainUrl) plans the application's tables; the monitoring role cannot.
    const plan = await admin(async (c) => (await c.query(`EXPLAIN (FORMAT JSON) SELECT count(*) FROM birth_charts`)).rows.length, again.explainUrl);
    expect(plan).toBe(1);
    await admin((c) => expect(c.query(`EXPLAIN SELECT count(*) FROM birth_charts`)).rejects.toMatchObject({ code: "42501" }), again.monitorUrl);
    const store = await admin(async (c) => (await c.query(`SELECT current_database() AS d`)).rows[0].d, again.storeUrl);
    expect(store).toBe(storeDatabase);
  });
});
