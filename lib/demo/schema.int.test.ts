import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { applySchema } from "./seed";

let db: TestDatabase;
let c: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase(17, "demo_schema");
  c = new pg.Client({ connectionString: db.url });
  await c.connect();
  await applySchema(c);
});

afterAll(async () => {
  await c?.end();
  await db?.drop();
});

const monthName = (d: Date) => `birth_charts_y${d.getUTCFullYear()}m${String(d.getUTCMonth() + 1).padStart(2, "0")}`;

describe("kundli_db schema", () => {
  it("creates the guideline tables, indexes and partitions", async () => {
    const tables = await c.query(`SELECT relname, relkind FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r','p','v') AND NOT relispartition ORDER BY relname`);
    expect(Object.fromEntries(tables.rows.map((r) => [r.relname, r.relkind]))).toEqual({
      audit_log: "r",
      backup_log: "r",
      birth_charts: "p",
      demo_seed: "r",
      performance_metrics: "v",
      planetary_positions: "r",
      query_cache: "r",
      slow_query_log: "r",
      users: "r",
    });
    const partial = await c.query(`SELECT pg_get_indexdef('idx_active_users'::regclass) AS d`);
    expect(partial.rows[0].d).toMatch(/ON public\.users USING btree \(id\) WHERE \(is_active = true\)/);
    const composite = await c.query(`SELECT pg_get_indexdef('idx_birth_charts_composite'::regclass) AS d`);
    expect(composite.rows[0].d).toMatch(/\(user_id, birth_time\)/);
    const parts = await c.query(`SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'birth_charts'::regclass`);
    // Twelve months back, this month and the next: 14 partitions.
    expect(parts.rows[0].n).toBe(14);
    const fk = await c.query(`SELECT pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE conrelid = 'planetary_positions'::regclass AND contype = 'f'`);
    expect(fk.rows[0].d).toBe("FOREIGN KEY (birth_chart_id, birth_time) REFERENCES birth_charts(id, birth_time) ON DELETE CASCADE");
  });

  it("is idempotent", async () => {
    const count = async () => (await c.query(`SELECT (SELECT count(*) FROM pg_class)::int AS cls, (SELECT count(*) FROM pg_proc)::int AS procs`)).rows[0];
    const before = await count();
    await applySchema(c);
    expect(await count()).toEqual(before);
  });

  it("create_monthly_partition() creates next month's partition once", async () => {
    const now = new Date();
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const name = monthName(next);
    // The foreign key from planetary_positions reaches every partition: detach before dropping.
    await c.query(`ALTER TABLE birth_charts DETACH PARTITION ${name}`);
    await c.query(`DROP TABLE ${name}`);
    expect((await c.query(`SELECT to_regclass($1) AS r`, [name])).rows[0].r).toBeNull();
    await c.query(`CALL create_monthly_partition()`);
    await c.query(`CALL create_monthly_partition()`);
    const bound = await c.query(`SELECT pg_get_expr(relpartbound, oid) AS b FROM pg_class WHERE relname = $1`, [name]);
    const iso = next.toISOString().slice(0, 10);
    expect(bound.rows[0].b).toContain(`FROM ('${iso}`);
    // A row in next month lands in it.
    await c.query(`INSERT INTO users (id, email, name) VALUES ('00000000-0000-0000-0000-000000000001', 'p@example.com', 'P')`);
    await c.query(`INSERT INTO birth_charts (user_id, name, birth_time, birth_place, latitude, longitude) VALUES ('00000000-0000-0000-0000-000000000001', 'x', $1, 'Pune', 18.5, 73.8)`, [new Date(next.getTime() + 86_400_000)]);
    const where = await c.query(`SELECT tableoid::regclass::text AS t FROM birth_charts`);
    expect(where.rows[0].t).toBe(name);
  });

  it("performance_metrics returns the guideline columns", async () => {
    const r = await c.query(`SELECT * FROM performance_metrics WHERE relname = 'users'`);
    expect(r.fields.map((f) => f.name)).toEqual(["schemaname", "relname", "seq_scan", "idx_scan", "n_tup_ins", "n_tup_upd", "n_tup_del"]);
    expect(r.rows[0].schemaname).toBe("public");
  });
});
