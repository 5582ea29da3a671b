import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, urlAs, withClient, type TestDatabase } from "@/test/db";
import { runSetup } from "./run-setup";

// setup's opt-ins on real servers: the planning role for EXPLAIN (SELECT on named schemas on
// every version, pg_read_all_data on 14+) and the sequences grant for the monitoring role.

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn().catch(() => {});
});

interface Fresh {
  db: TestDatabase;
  monitor: string;
  planner: string;
  password: string;
}

async function fresh(major: number): Promise<Fresh> {
  const db = await createTestDatabase(major, "optin");
  const suffix = randomBytes(4).toString("hex");
  const monitor = `mon_${suffix}`;
  const planner = `plan_${suffix}`;
  cleanups.push(async () => {
    await db.drop();
    await withClient(db.adminUrl, (c) => c.query(`DROP ROLE IF EXISTS ${monitor}; DROP ROLE IF EXISTS ${planner}`));
  });
  // An application: its tables and sequences in public, and a schema nobody granted.
  await withClient(db.url, (c) =>
    c.query(`CREATE TABLE users (id serial PRIMARY KEY, email text);
      INSERT INTO users (email) SELECT 'u' || g FROM generate_series(1, 500) g; ANALYZE users;
      CREATE VIEW active_users AS SELECT * FROM users WHERE id > 10;
      CREATE SCHEMA billing; CREATE TABLE billing.invoices (id int);
      CREATE SEQUENCE billing.invoice_no; SELECT nextval('billing.invoice_no');`),
  );
  return { db, monitor, planner, password: randomBytes(18).toString("base64url") };
}

const failedOrSkipped = (actions: Array<{ status: string }>) => actions.filter((a) => a.status === "failed" || a.status === "skipped");

/** Runs each statement as `url`'s role; the SQLSTATE it failed with, or "ok". */
async function outcomes(url: string, statements: string[]): Promise<string[]> {
  return withClient(url, async (c) => {
    const out: string[] = [];
    for (const sql of statements) {
      out.push(await c.query(sql).then(() => "ok", (e: { code?: string }) => e.code ?? "error"));
    }
    return out;
  });
}

describe.each([13, 14, 18])("planning role on PostgreSQL %i", (major) => {
  it("SELECT on named schemas: plans there, reads nothing else, cannot write; a second run changes nothing", async () => {
    const f = await fresh(major);
    const opts = { url: f.db.url, monitorRole: { name: f.monitor, password: f.password }, explainRole: { name: f.planner, password: f.password, access: { schemas: ["public"] } } };
    const first = await runSetup(opts);
    expect(failedOrSkipped(first.actions)).toEqual([]);
    expect(first.optInSql).toContain(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${f.planner};`);

    const as = urlAs(f.db.url, f.planner, f.password);
    expect(await outcomes(as, [
      "EXPLAIN SELECT * FROM users WHERE id = 7",
      "EXPLAIN ANALYZE SELECT count(*) FROM active_users",
      "SELECT count(*) FROM billing.invoices",
      "INSERT INTO users (email) VALUES ('x')",
      "SET default_transaction_read_only = off",
      "INSERT INTO users (email) VALUES ('x')",
      "SELECT nextval('users_id_seq')",
      "SELECT count(*) FROM pgpulse.column_stats()",
    ])).toEqual(["ok", "ok", "42501", "25006", "ok", "42501", "42501", "42501"]);
    const attrs = await withClient(as, async (c) => (await c.query(`SELECT rolsuper, rolbypassrls, rolconnlimit, current_setting('statement_timeout') AS st,
      pg_has_role(current_user, 'pg_monitor', 'MEMBER') AS monitor, pg_has_role(current_user, 'pg_signal_backend', 'MEMBER') AS signal FROM pg_roles WHERE rolname = current_user`)).rows[0]);
    expect(attrs).toEqual({ rolsuper: false, rolbypassrls: false, rolconnlimit: 4, st: "5s", monitor: false, signal: false });

    // A table the application creates later is readable through the default privileges.
    await withClient(f.db.url, (c) => c.query("CREATE TABLE later (id int)"));
    expect(await outcomes(as, ["EXPLAIN SELECT * FROM later"])).toEqual(["ok"]);

    const second = await runSetup(opts);
    expect(second.actions.filter((a) => a.status !== "exists")).toEqual([]);
  });

  it(`pg_read_all_data ${major >= 14 ? "reads every schema, still cannot write" : "is refused on 13, naming the alternative"}`, async () => {
    const f = await fresh(major);
    const r = await runSetup({ url: f.db.url, explainRole: { name: f.planner, password: f.password, access: "pg_read_all_data" } });
    const grant = r.actions.find((a) => a.what === `grant pg_read_all_data to ${f.planner}`);
    if (major < 14) {
      expect(grant).toEqual({ what: `grant pg_read_all_data to ${f.planner}`, status: "failed", reason: "PostgreSQL 13 has no pg_read_all_data: name the schemas instead (--explain-schemas)" });
      return;
    }
    expect(grant?.status).toBe("done");
    const as = urlAs(f.db.url, f.planner, f.password);
    expect(await outcomes(as, [
      "EXPLAIN ANALYZE SELECT count(*) FROM billing.invoices",
      // What "all data" means, measured: the roles' password hashes too (docs/SECURITY.md).
      "SELECT rolpassword FROM pg_authid LIMIT 1",
      "SET default_transaction_read_only = off",
      "INSERT INTO billing.invoices VALUES (1)",
      "SELECT setval('billing.invoice_no', 99)",
    ])).toEqual(["ok", "ok", "ok", "42501", "42501"]);
  });
});

describe("planning role refusals", () => {
  it("is never the monitoring role, nor a superuser", async () => {
    const f = await fresh(17);
    await withClient(f.db.url, (c) => c.query(`CREATE ROLE ${f.planner} LOGIN SUPERUSER`));
    const r = await runSetup({
      url: f.db.url,
      monitorRole: { name: f.monitor, password: f.password },
      explainRole: { name: f.planner, access: { schemas: ["public"] } },
    });
    expect(r.actions.find((a) => a.what === `planning role ${f.planner}`)?.reason).toMatch(/^is a superuser/);
    const same = await runSetup({ url: f.db.url, monitorRole: { name: f.monitor }, explainRole: { name: f.monitor, access: { schemas: ["public"] } } });
    expect(same.actions.find((a) => a.what === `planning role ${f.monitor}`)?.reason).toMatch(/^must not be the monitoring role/);
    // Neither got a grant.
    expect(await withClient(f.db.url, async (c) => (await c.query(`SELECT has_table_privilege($1, 'users', 'SELECT') AS a`, [f.monitor])).rows[0].a)).toBe(false);
  });
});

describe.each([13, 18])("sequences grant on PostgreSQL %i", (major) => {
  it("lets the monitoring role read last_value in the named schemas only, never advance it", async () => {
    const f = await fresh(major);
    await runSetup({ url: f.db.url, monitorRole: { name: f.monitor, password: f.password } });
    await withClient(f.db.url, (c) => c.query("SELECT nextval('users_id_seq') FROM generate_series(1, 3)"));
    const as = urlAs(f.db.url, f.monitor, f.password);
    const lastValues = () =>
      withClient(as, async (c) => (await c.query(`SELECT schemaname || '.' || sequencename AS s, last_value::int AS v FROM pg_sequences WHERE sequencename <> 'backup_log_id_seq' ORDER BY 1`)).rows);
    expect(await lastValues()).toEqual([{ s: "billing.invoice_no", v: null }, { s: "public.users_id_seq", v: null }]);

    const r = await runSetup({ url: f.db.url, monitorRole: { name: f.monitor }, sequenceSchemas: ["public"] });
    expect(r.actions.find((a) => a.what === `grant SELECT on sequences in schema public to ${f.monitor}`)?.status).toBe("done");
    expect(r.optInSql).toContain(`GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO ${f.monitor};`);
    expect(await lastValues()).toEqual([{ s: "billing.invoice_no", v: null }, { s: "public.users_id_seq", v: 503 }]);
    // No USAGE on the schema was needed, none was given; nextval and setval stay refused.
    expect(await outcomes(as, ["SET default_transaction_read_only = off", "SELECT nextval('users_id_seq')", "SELECT setval('users_id_seq', 1)"])).toEqual(["ok", "42501", "42501"]);

    // A sequence the owner creates later is readable too.
    await withClient(f.db.url, (c) => c.query("CREATE SEQUENCE orders_no; SELECT nextval('orders_no')"));
    expect((await lastValues()).find((x) => x.s === "public.orders_no")).toEqual({ s: "public.orders_no", v: 1 });
  });
});
