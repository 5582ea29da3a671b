import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, withClient, type TestDatabase } from "@/test/db";
import { runSetup } from "./run-setup";

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn().catch(() => {});
});


async function fresh(major: number): Promise<{ db: TestDatabase; role: string; password: string }> {
  const db = await createTestDatabase(major, "setup");
  const role = `mon_${randomBytes(4).toString("hex")}`;
  cleanups.push(async () => {
    await db.drop();
    await withClient(db.adminUrl, (c) => c.query(`DROP ROLE IF EXISTS ${role}`));
  });
  return { db, role, password: randomBytes(18).toString("base64url") };
}

// pg_db_role_setting and pg_auth_members are shared by the whole server, where other test files
// create roles at the same time: counted for this role only.
const catalogCounts = (url: string, role: string) =>
  withClient(url, async (c) => (await c.query(`SELECT (SELECT count(*) FROM pg_proc)::int AS procs, (SELECT count(*) FROM pg_class)::int AS classes,
    (SELECT count(*) FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = $1)::int AS settings,
    (SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = $1)::int AS members`, [role])).rows[0]);

const roleUrl = (db: TestDatabase, role: string, password: string) => {
  const u = new URL(db.url);
  u.username = role;
  u.password = password;
  return u.toString();
};

describe.each([13, 17, 18])("setup on PostgreSQL %i", (major) => {
  it("installs everything, then a second run changes nothing", async () => {
    const { db, role, password } = await fresh(major);
    const first = await runSetup({ url: db.url, monitorRole: { name: role, password } });
    expect(first.actions.filter((a) => a.status === "failed")).toEqual([]);
    expect(first.actions.find((a) => a.what === "extension pgstattuple")?.status).toBe("done");
    expect(first.actions.find((a) => a.what === "extension pg_stat_statements")?.status).toBe("done");
    expect(first.actions.find((a) => a.what.startsWith("function pgpulse.column_stats()"))?.status).toBe("done");
    expect(first.grantsSql).toContain(`CREATE ROLE ${role} LOGIN PASSWORD '<choose a password>' CONNECTION LIMIT 8;`);
    expect(first.grantsSql).toContain(`ALTER ROLE ${role} SET default_transaction_read_only = 'on';`);
    expect(first.grantsSql).not.toContain(password);

    const before = await catalogCounts(db.url, role);
    const second = await runSetup({ url: db.url, monitorRole: { name: role, password } });
    expect(second.actions.map((a) => [a.what, a.status])).toEqual(first.actions.map((a) => [a.what, "exists"]));
    expect(await catalogCounts(db.url, role)).toEqual(before);

    // The created role logs in with its password and carries the session limits.
    const settings = await withClient(roleUrl(db, role, password), async (c) =>
      (await c.query(`SELECT current_setting('default_transaction_read_only') AS ro, current_setting('statement_timeout') AS st,
        current_setting('lock_timeout') AS lt, current_setting('jit') AS jit, (SELECT rolconnlimit FROM pg_roles WHERE rolname = current_user) AS lim`)).rows[0],
    );
    expect(settings).toEqual({ ro: "on", st: "5s", lt: "1s", jit: "off", lim: 8 });
  });
});

describe("pgpulse.column_stats()", () => {
  it("gives a pg_monitor-only role the statistics pg_stats hides, expression indexes included", async () => {
    const { db, role, password } = await fresh(17);
    await withClient(db.url, async (c) => {
      await c.query(`CREATE TABLE secrets (id int PRIMARY KEY, email text, note text)`);
      await c.query(`CREATE INDEX secrets_lower_email ON secrets (lower(email))`);
      await c.query(`INSERT INTO secrets SELECT g, 'User' || g || '@example.com', CASE WHEN g % 4 = 0 THEN NULL ELSE 'n' END FROM generate_series(1, 2000) g`);
      await c.query(`ANALYZE secrets`);
    });
    await runSetup({ url: db.url, monitorRole: { name: role, password } });

    await withClient(roleUrl(db, role, password), async (c) => {
      await expect(c.query(`SELECT * FROM secrets`)).rejects.toMatchObject({ code: "42501" });
      const hidden = await c.query(`SELECT count(*)::int AS n FROM pg_stats WHERE tablename IN ('secrets', 'secrets_lower_email')`);
      expect(hidden.rows[0].n).toBe(0);
      const r = await c.query(`SELECT * FROM pgpulse.column_stats() WHERE tablename IN ('secrets', 'secrets_lower_email') ORDER BY tablename, attname`);
      expect(r.fields.map((f) => f.name)).toEqual(["schemaname", "tablename", "attname", "null_frac", "avg_width", "n_distinct"]);
      const byCol = Object.fromEntries(r.rows.map((x) => [`${x.tablename}.${x.attname}`, x]));
      expect(Object.keys(byCol)).toEqual(["secrets.email", "secrets.id", "secrets.note", "secrets_lower_email.lower"]);
      expect(byCol["secrets.note"].null_frac).toBeCloseTo(0.25, 2);
      expect(byCol["secrets.id"].avg_width).toBe(4);
      expect(byCol["secrets.id"].n_distinct).toBe(-1);
      expect(byCol["secrets_lower_email.lower"].avg_width).toBeGreaterThan(15);
    });

    // PUBLIC cannot call it; a role without the grant is refused.
    const other = `nobody_${randomBytes(4).toString("hex")}`;
    await withClient(db.url, (c) => c.query(`CREATE ROLE ${other} LOGIN PASSWORD 'pw-not-secret-12'`));
    cleanups.push(() => withClient(db.adminUrl, (c) => c.query(`DROP ROLE IF EXISTS ${other}`)).then(() => {}));
    await withClient(roleUrl(db, other, "pw-not-secret-12"), async (c) => {
      await expect(c.query(`SELECT * FROM pgpulse.column_stats()`)).rejects.toMatchObject({ code: "42501" });
    });
    const def = await withClient(db.url, async (c) => (await c.query(`SELECT prosecdef, proconfig FROM pg_proc WHERE oid = 'pgpulse.column_stats()'::regprocedure`)).rows[0]);
    expect(def).toEqual({ prosecdef: true, proconfig: ["search_path=pg_catalog, pg_temp"] });
  });

  it("grants to pg_monitor when the monitoring role does not exist", async () => {
    const { db } = await fresh(17);
    const r = await runSetup({ url: db.url });
    expect(r.actions.find((a) => a.what.startsWith("grant EXECUTE"))).toEqual({ what: "grant EXECUTE on pgpulse.column_stats() to pg_monitor", status: "done" });
  });
});
