import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePlan } from "@/lib/analysis/explain-plan";
import { createTargetPool } from "@/lib/db/pool";
import { createTestDatabase, urlAs, withClient, type TestDatabase } from "@/test/db";
import { ExplainError, prepareExplain, runExplain } from "./explain";

// EXPLAIN through the action pool against real servers: 17 (GENERIC_PLAN) and 15 (values needed).

describe.each([17, 15])("EXPLAIN on PostgreSQL %i", (major) => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let serverVersionNum: number;

  beforeAll(async () => {
    db = await createTestDatabase(major, "explain");
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(`CREATE TABLE users (id int PRIMARY KEY, email text);
      INSERT INTO users SELECT g, 'u' || g || '@x.org' FROM generate_series(1, 2000) g; ANALYZE users;
      CREATE TABLE secret (id int);
      CREATE ROLE explain_${db.name} LOGIN PASSWORD 'pw';
      GRANT SELECT ON users TO explain_${db.name};`);
    serverVersionNum = Number((await admin.query("SHOW server_version_num")).rows[0].server_version_num);
    await admin.end();
    pool = createTargetPool({ url: db.url, max: 1, applicationName: "pgpulse-action" });
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
    const admin = new pg.Client({ connectionString: db.adminUrl });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS explain_${db.name}`);
    await admin.end();
  });

  const refused = async (p: Promise<unknown>) => {
    const e = await p.then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(ExplainError);
    return e as ExplainError;
  };

  it("refuses anything but a single SELECT, by parsing", async () => {
    for (const text of ["DELETE FROM users", "SELECT 1; SELECT 2", "WITH d AS (DELETE FROM users RETURNING *) SELECT * FROM d", "SELECT * FROM users FOR UPDATE", "not sql at all"]) {
      const e = await refused(prepareExplain({ text, analyze: false, serverVersionNum }));
      expect(e).toMatchObject({ status: 400, code: "not_single_select", message: "only a single SELECT can be explained" });
    }
  });

  it("plans a SELECT in JSON, and ANALYZE really runs it", async () => {
    const plain = await runExplain(pool, await prepareExplain({ text: "SELECT * FROM users WHERE id = 7;", analyze: false, serverVersionNum }));
    const p = parsePlan(plain);
    expect(p.analyzed).toBe(false);
    expect(p.root.nodeType).toBe("Index Scan");
    const analyzed = parsePlan(await runExplain(pool, await prepareExplain({ text: "SELECT count(*) FROM users", analyze: true, serverVersionNum })));
    expect(analyzed.analyzed).toBe(true);
    expect(analyzed.executionMs).not.toBeNull();
  });

  it("handles placeholders: GENERIC_PLAN on 16+, else the values are required", async () => {
    const text = "SELECT * FROM users WHERE id = $1 AND email = $2";
    if (serverVersionNum >= 160000) {
      const prepared = await prepareExplain({ text, analyze: false, serverVersionNum });
      expect(prepared.generic).toBe(true);
      expect(parsePlan(await runExplain(pool, prepared)).root.nodeType).toBe("Index Scan");
    } else {
      const e = await refused(prepareExplain({ text, analyze: false, serverVersionNum }));
      expect(e).toMatchObject({ status: 400, code: "needs_params", param: "params" });
    }
    // ANALYZE cannot plan generically on any version.
    expect(await refused(prepareExplain({ text, analyze: true, serverVersionNum }))).toMatchObject({ param: "params" });
    // With values it runs everywhere, ANALYZE included.
    const withValues = await prepareExplain({ text, analyze: true, params: ["7", "u7@x.org"], serverVersionNum });
    expect(parsePlan(await runExplain(pool, withValues)).root.actualRows).toBe(1);
    expect(await refused(prepareExplain({ text, analyze: false, params: ["7"], serverVersionNum }))).toMatchObject({ code: "needs_params" });
    const badType = await refused(runExplain(pool, await prepareExplain({ text, analyze: true, params: ["seven", "x"], serverVersionNum })));
    expect(badType).toMatchObject({ status: 400, param: "params" });
  });

  it("maps errors to plain messages, and the pool stays usable", async () => {
    const missing = await refused(runExplain(pool, await prepareExplain({ text: "SELECT * FROM nope", analyze: false, serverVersionNum })));
    expect(missing).toMatchObject({ status: 422, message: "a table in the statement does not exist on the target" });
    const slow = await refused(runExplain(pool, await prepareExplain({ text: "SELECT count(*) FROM generate_series(1, 1e12)", analyze: true, serverVersionNum })));
    expect(slow).toMatchObject({ code: "timeout" });
    const restricted = createTargetPool({ url: urlAs(db.url, `explain_${db.name}`, "pw"), max: 1 });
    try {
      const denied = await refused(runExplain(restricted, await prepareExplain({ text: "SELECT * FROM secret", analyze: false, serverVersionNum })));
      // Named from the catalog, with the exact GRANT and the setup option; never the server's text.
      expect(denied).toMatchObject({ status: 403, code: "forbidden" });
      expect(denied.message).toBe(
        `the monitoring role explain_${db.name}, which EXPLAIN connects as, may not read public.secret: GRANT SELECT ON public.secret TO explain_${db.name}; ` +
          "or give EXPLAIN a planning role of its own, so the monitoring role reads no table data: npm run setup -- --explain-role pgpulse_explain " +
          "--explain-password <password> --explain-schemas public, then set the target's explainUrl (docs/SECURITY.md)",
      );
      expect(denied.message).not.toMatch(/permission denied/);
      // A CTE named like an unreadable table is not blamed; the unreadable table is, with its schema.
      await withClient(db.url, (c) => c.query(`CREATE SCHEMA vault; CREATE TABLE vault.box (id int)`));
      const nested = await refused(runExplain(restricted, await prepareExplain({ text: "WITH secret AS (SELECT 1 AS id) SELECT * FROM secret, vault.box", analyze: false, serverVersionNum }), { planningRole: true }));
      expect(nested.message).toBe(
        `the planning role explain_${db.name} may not read vault.box (no USAGE on schema vault): GRANT USAGE ON SCHEMA vault TO explain_${db.name}; ` +
          `GRANT SELECT ON vault.box TO explain_${db.name}; or run npm run setup -- --explain-role explain_${db.name} --explain-schemas vault`,
      );
    } finally {
      await restricted.end();
    }
    // Every run rolled back: nothing left open on the connection.
    const r = await pool.query("SELECT 1 AS ok");
    expect(r.rows[0].ok).toBe(1);
  }, 30_000);
});
