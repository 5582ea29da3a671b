import { beforeAll, describe, expect, it } from "vitest";
import { collectCalls, type QualifiedName } from "./sql-calls";
import { loadSqlParser } from "./sql-text";

beforeAll(() => loadSqlParser());

const names = (list: QualifiedName[]) => list.map((n) => (n.schema ? `${n.schema}.${n.name}` : n.name)).sort();

describe("collectCalls", () => {
  it.each([
    ["select list", "select lower(email) from users", ["lower"]],
    ["FROM function, qualified", "select * from pg_catalog.ts_stat($$select 1$$)", ["pg_catalog.ts_stat"]],
    ["in a dollar-quoted string: text, not a call", "select $$select pg_advisory_lock(1)$$", []],
    ["subquery in WHERE", "select 1 where exists (select pg_sleep(1))", ["pg_sleep"]],
    ["CTE", "with a as (select pg_advisory_lock(1)) select * from a", ["pg_advisory_lock"]],
    ["ORDER BY and GROUP BY", "select 1 from t group by date_trunc('day', at) order by random()", ["date_trunc", "random"]],
    ["LATERAL and window", "select row_number() over () from t, lateral f(t.a)", ["f", "row_number"]],
    ["three-part name keeps schema and name", "select db.s.f()", ["s.f"]],
    ["AT TIME ZONE is timezone()", "select now() at time zone 'UTC'", ["now", "pg_catalog.timezone"]],
    ["LIKE … ESCAPE adds like_escape", "select 1 where a like 'x' escape '!'", ["pg_catalog.like_escape"]],
  ])("functions: %s", async (_name, sql, expected) => {
    expect(names(collectCalls(sql)!.functions)).toEqual(expected);
  });

  it.each([
    ["written operators", "select a + b, c ->> 'k' from t where d ~~ 'x'", ["+", "->>", "~~"]],
    ["OPERATOR() with a schema", "select 1 OPERATOR(myschema.===) 2", ["myschema.==="]],
    ["BETWEEN expands to comparisons", "select 1 where a between 1 and 2", ["<", "<=", ">", ">="]],
    ["IN (subquery) and CASE x WHEN and JOIN USING are =", "select case a when 1 then 2 end from t join u using (id) where id in (select 1)", ["="]],
    ["ORDER BY … USING", "select a from t order by a using ~<~", ["~<~"]],
    ["= ANY", "select 1 where a = any('{1}')", ["="]],
  ])("operators: %s", async (_name, sql, expected) => {
    expect(names(collectCalls(sql)!.operators)).toEqual(expected);
  });

  it("collects cast target types (typed literals too) and relations", () => {
    const c = collectCalls("select '1'::int, date '2020-01-01', cast(x as s.mood[]) from s.t join u on true, (select 1 from v) w")!;
    expect(names(c.types)).toEqual(["date", "pg_catalog.int4", "s.mood"]);
    expect(names(c.relations)).toEqual(["s.t", "u", "v"]);
  });

  it("returns null for text that does not parse", () => {
    expect(collectCalls("select * from t where a = 'cut")).toBeNull();
  });
});
