import { randomBytes } from "node:crypto";
import type { ActionConnector } from "@/lib/server/wiring/action-connections";
import type pg from "pg";
import pino from "pino";
import { configSchema } from "@/lib/config/schema";
import { startPgpulse } from "@/lib/server/wiring/compose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePlan } from "@/lib/analysis/explain-plan";
import { createTargetPool } from "@/lib/db/pool";
import { runSetup } from "@/lib/setup/run-setup";
import { createTestDatabase, urlAs, withClient, type TestDatabase } from "@/test/db";
import { ExplainError, prepareExplain, runExplain } from "./explain";
import { explainOnTarget } from "./explain-request";

// The demo's headline slow statement (lib/demo/scenarios.ts: a count over birth_charts beside
// pg_sleep) explained as the monitoring role and as the planning role setup creates. Placeholders
// plan generically on 16+ and need values before; the refusals name what is missing.

const HEADLINE = `SELECT (SELECT count(*) FROM birth_charts WHERE user_id = md5('user' || $1::int)::uuid) AS charts,
            pg_sleep($2::double precision) IS NOT NULL AS ephemeris_wait`;

describe.each([13, 16, 18])("the planning role on PostgreSQL %i", (major) => {
  let db: TestDatabase;
  let monitor: pg.Pool;
  let planner: pg.Pool;
  let serverVersionNum: number;
  const suffix = randomBytes(4).toString("hex");
  const names = { monitor: `mon_${suffix}`, planner: `plan_${suffix}` };
  const password = randomBytes(18).toString("base64url");

  beforeAll(async () => {
    db = await createTestDatabase(major, "explainrole");
    serverVersionNum = await withClient(db.url, async (c) => {
      await c.query(`CREATE TABLE birth_charts (user_id uuid NOT NULL, birth_time timestamptz NOT NULL) PARTITION BY RANGE (birth_time);
        CREATE TABLE birth_charts_2026 PARTITION OF birth_charts FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
        CREATE INDEX ON birth_charts (user_id, birth_time);
        INSERT INTO birth_charts SELECT md5('user' || (g % 300))::uuid, '2026-01-01'::timestamptz + g * interval '1 hour' FROM generate_series(1, 3000) g;
        ANALYZE birth_charts;`);
      return Number((await c.query("SHOW server_version_num")).rows[0].server_version_num);
    });
    const setup = await runSetup({
      url: db.url,
      monitorRole: { name: names.monitor, password },
      explainRole: { name: names.planner, password, access: { schemas: ["public"] } },
    });
    expect(setup.actions.filter((a) => a.status === "failed")).toEqual([]);
    monitor = createTargetPool({ url: urlAs(db.url, names.monitor, password), max: 1 });
    planner = createTargetPool({ url: urlAs(db.url, names.planner, password), max: 1 });
  });

  afterAll(async () => {
    await monitor?.end();
    await planner?.end();
    await db?.drop();
    await withClient(db.adminUrl, (c) => c.query(`DROP ROLE IF EXISTS ${names.monitor}; DROP ROLE IF EXISTS ${names.planner}`));
  });

  const refused = async (p: Promise<unknown>) => {
    const e = await p.then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(ExplainError);
    return e as ExplainError;
  };
  // Without values where GENERIC_PLAN exists, as the page asks first; with values before 16.
  const plainHeadline = () => prepareExplain({ text: HEADLINE, analyze: false, params: serverVersionNum >= 160000 ? undefined : ["3", "2"], serverVersionNum });

  it("as the monitoring role: refused, naming the table, the GRANT and the setup option", async () => {
    const e = await refused(runExplain(monitor, await plainHeadline()));
    expect(e).toMatchObject({ status: 403, code: "forbidden" });
    expect(e.message).toMatch(new RegExp(`^the monitoring role ${names.monitor}, which EXPLAIN connects as, may not read public\\.birth_charts: GRANT SELECT ON public\\.birth_charts TO ${names.monitor}; `));
    expect(e.message).toContain("npm run setup -- --explain-role pgpulse_explain --explain-password <password> --explain-schemas public, then set the target's explainUrl");
  });

  it("as the planning role: plain EXPLAIN plans it at once, pg_sleep shown and not run", async () => {
    const started = Date.now();
    const prepared = await plainHeadline();
    expect(prepared.generic).toBe(serverVersionNum >= 160000);
    const plan = await runExplain(planner, prepared, { planningRole: true });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(parsePlan(plan).analyzed).toBe(false);
    expect(JSON.stringify(plan)).toContain("birth_charts_2026");
  });

  it("EXPLAIN ANALYZE of it is refused by the function's name; a statement without one runs", async () => {
    const e = await refused(runExplain(planner, await prepareExplain({ text: HEADLINE, analyze: true, params: ["3", "2"], serverVersionNum }), { planningRole: true }));
    expect(e).toMatchObject({ status: 400, code: "function_not_allowed", message: "pg_sleep is volatile: EXPLAIN ANALYZE would run it; plain EXPLAIN shows the plan without running it" });
    const report = await prepareExplain({ text: "SELECT user_id, count(*) FROM birth_charts GROUP BY user_id ORDER BY 2 DESC LIMIT 5", analyze: true, serverVersionNum });
    const analyzed = parsePlan(await runExplain(planner, report, { planningRole: true }));
    expect(analyzed.analyzed).toBe(true);
    expect(analyzed.root.actualRows).toBe(5);
  });
});

describe("a target's explainUrl", () => {
  it("is what EXPLAIN connects as; cancel and terminate keep the monitoring role", async () => {
    const db = await createTestDatabase(17, "explainurl");
    const store = await createTestDatabase(17, "explainurlstore");
    const suffix = randomBytes(4).toString("hex");
    const [mon, plan] = [`mon_${suffix}`, `plan_${suffix}`];
    const password = randomBytes(18).toString("base64url");
    await withClient(db.url, (c) => c.query("CREATE TABLE birth_charts (user_id uuid, birth_time timestamptz)"));
    await runSetup({ url: db.url, monitorRole: { name: mon, password }, explainRole: { name: plan, password, access: { schemas: ["public"] } } });
    const config = configSchema.parse({ targets: [{ id: "t", name: "t", url: urlAs(db.url, mon, password), explainUrl: urlAs(db.url, plan, password) }] });
    const rt = await startPgpulse({ config, storeUrl: store.url, version: "test", log: pino({ level: "silent" }) });
    try {
      const who = async (p: ActionConnector) => {
        const c = await p.connect();
        try {
          return (await c.query("SELECT current_user::text AS u")).rows[0].u;
        } finally {
          c.release();
        }
      };
      expect(await who(rt.explainPool("t"))).toBe(plan);
      expect(await who(rt.actionPool("t"))).toBe(mon);
      const answer = await explainOnTarget(rt, "t", { name: "ana", role: "admin" }, null, { query: "SELECT count(*) FROM birth_charts", analyze: true });
      expect(parsePlan(answer.plan).analyzed).toBe(true);
      // ANALYZE of the headline without values: the function that would refuse it anyway is named
      // first, instead of asking for values that could not help.
      const e = await explainOnTarget(rt, "t", { name: "ana", role: "admin" }, null, { query: HEADLINE, analyze: true }).then(() => null, (x: unknown) => x);
      expect(e).toMatchObject({ status: 400, code: "function_not_allowed", message: expect.stringMatching(/^pg_sleep is volatile/) });
      // Without such a function, the values are asked for as before.
      const ask = await explainOnTarget(rt, "t", { name: "ana", role: "admin" }, null, { query: "SELECT count(*) FROM birth_charts WHERE user_id = $1", analyze: true }).then(() => null, (x: unknown) => x);
      expect(ask).toMatchObject({ status: 400, code: "needs_params", param: "params" });
    } finally {
      await rt.stop();
      await db.drop();
      await store.drop();
      await withClient(db.adminUrl, (c) => c.query(`DROP ROLE IF EXISTS ${mon}; DROP ROLE IF EXISTS ${plan}`));
    }
  }, 60_000);
});
