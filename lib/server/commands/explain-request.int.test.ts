import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePlan } from "@/lib/analysis/explain-plan";
import { SUPPORTED_MAJORS } from "@/test/db";
import { createExplainTarget, type ExplainTarget } from "@/test/explain-target";

// The route's path end to end on every supported major: what an application's SELECTs use
// passes the function rule, and the audit row of an ANALYZE holds exactly what ran.

const setup = () => `
  -- citext overloads max(), min(), replace(), strpos(): its candidates are C code and pass.
  CREATE EXTENSION citext;
  CREATE TABLE users (id int PRIMARY KEY, email text, meta jsonb, created_at timestamptz DEFAULT now());
  INSERT INTO users SELECT g, 'u' || g || '@x.org', jsonb_build_object('plan', g % 3), now() - g * interval '1 hour' FROM generate_series(1, 500) g;
  CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users, total numeric(10, 2), created_at timestamptz DEFAULT now());
  INSERT INTO orders SELECT g, 1 + g % 500, g / 7.0, now() - g * interval '1 minute' FROM generate_series(1, 2000) g;
  CREATE TYPE status AS ENUM ('open', 'closed');
  CREATE VIEW big_spenders AS SELECT user_id, sum(total) AS spent FROM orders GROUP BY user_id HAVING sum(total) > 100;
  ANALYZE;`;

const ORDINARY: Array<[string, string, string[]?]> = [
  ["now, lower, intervals, ORDER BY, LIMIT", "select id, lower(email), now() - created_at as age from users where created_at > now() - interval '1 day' order by created_at desc limit 10"],
  ["join, count(*), sum, HAVING", "select u.id, count(*), sum(o.total) from users u join orders o on o.user_id = u.id group by u.id having count(*) > 1"],
  ["CTE, date_trunc, coalesce", "with recent as (select * from orders where created_at >= date_trunc('day', now())) select coalesce(sum(total), 0) from recent"],
  ["AT TIME ZONE, extract, to_char", "select date_trunc('hour', created_at at time zone 'UTC'), extract(epoch from created_at), to_char(created_at, 'YYYY-MM') from users"],
  ["jsonb operators and casts", "select meta->>'plan', (meta->>'plan')::int from users where meta @> '{\"plan\": 1}'::jsonb and meta ? 'plan'"],
  ["LIKE, BETWEEN, IN (subquery), CASE, window", "select id, case id % 2 when 0 then 'even' else 'odd' end, row_number() over (order by id) from users where email like 'u1%' and id between 1 and 400 and id in (select user_id from orders)"],
  ["aggregates with ORDER BY, an enum cast", "select string_agg(email, ',' order by id), array_agg(id), max(id), 'open'::status from users"],
  ["names citext overloads, a citext column", "select max(email), replace(email, 'u', 'v'), strpos(email, '@') from users where email::citext = 'U1@X.ORG' group by email"],
  ["a user view, placeholders with values", "select * from big_spenders where user_id = $1 and spent > $2", ["7", "10.5"]],
];

describe.each(SUPPORTED_MAJORS)("EXPLAIN requests on PostgreSQL %i", (major) => {
  let t: ExplainTarget;
  beforeAll(async () => {
    t = await createExplainTarget(major, setup);
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each(ORDINARY)("ANALYZE runs an application SELECT: %s", async (_name, query, params) => {
    const res = await t.explain({ query, analyze: true, params });
    const plan = parsePlan(res.plan);
    expect(plan.analyzed).toBe(true);
    expect(plan.executionMs).not.toBeNull();
  });

  it("audits an ANALYZE with the statement exactly as it ran, values included, refused or not", async () => {
    const attack = "select * from ts_stat($$select pg_advisory_lock(1)::text$$)";
    await t.refused({ query: attack, analyze: true }, "ana");
    await t.explain({ query: "select * from users where email = $1", analyze: true, params: ["u7@x.org"] }, "ana");
    await t.explain({ query: "select * from users where email = 'u8@x.org'", analyze: false }, "ana");
    const { rows } = await t.store.query("SELECT action, after FROM pgpulse.audit_log WHERE actor = 'ana' ORDER BY at, id");
    expect(rows.map((r) => r.action).sort()).toEqual(["explain", "explain.analyze", "explain.analyze"]);
    const analyzed = rows.filter((r) => r.action === "explain.analyze").map((r) => r.after);
    expect(analyzed).toContainEqual({ sql: `EXPLAIN (FORMAT JSON, ANALYZE, BUFFERS) ${attack}`, values: [], analyze: true, generic: false });
    expect(analyzed).toContainEqual({ sql: "EXPLAIN (FORMAT JSON, ANALYZE, BUFFERS) select * from users where email = $1", values: ["u7@x.org"], analyze: true, generic: false });
    // Plain EXPLAIN runs nothing of the statement: its literals stay out of the log.
    const plain = rows.find((r) => r.action === "explain")!.after;
    expect(JSON.stringify(plain)).not.toContain("u8@x.org");
  });
});
