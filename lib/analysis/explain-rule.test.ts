import { describe, expect, it } from "vitest";
import { refuseFunctions, type ReachedFunction } from "./explain-rule";

// The rule on catalog facts as the target reports them (values taken from pg_proc on 13 and 18).
const fn = (over: Partial<ReachedFunction>): ReachedFunction => ({
  kind: "function",
  ref: over.name ?? "f",
  within: "statement",
  relation: null,
  schema: "pg_catalog",
  name: "f",
  args: "",
  volatility: "i",
  parallel: "s",
  language: "internal",
  builtin: true,
  extension: null,
  ...over,
});

describe("refuseFunctions", () => {
  it.each<[string, Partial<ReachedFunction>, boolean, RegExp | null]>([
    ["built-in immutable passes ANALYZE", { name: "lower" }, true, null],
    ["built-in stable passes ANALYZE", { name: "now", volatility: "s" }, true, null],
    ["volatile is refused, named", { name: "pg_sleep", volatility: "v" }, true, /^pg_sleep is volatile: EXPLAIN ANALYZE would run it; plain EXPLAIN shows the plan/],
    ["volatile runs nothing in plain EXPLAIN", { name: "pg_sleep", volatility: "v" }, false, null],
    ["clock reader passes although volatile", { name: "clock_timestamp", volatility: "v" }, true, null],
    ["AT TIME ZONE's volatile overload (13–15) passes", { name: "timezone", volatility: "v", args: "text, time with time zone" }, true, null],
    ["a user function named like a clock reader does not", { name: "random", schema: "public", builtin: false, volatility: "v" }, true, /^public\.random is volatile/],
    ["SQL-text runner, volatile", { name: "ts_stat", volatility: "v", parallel: "u" }, true, /^ts_stat runs SQL given to it as text/],
    ["ts_rewrite with a query", { name: "ts_rewrite", args: "tsquery, text", volatility: "v" }, true, /^ts_rewrite runs SQL/],
    ["ts_rewrite without one", { name: "ts_rewrite", args: "tsquery, tsquery, tsquery" }, true, null],
    ["stable SQL runner refused even in plain EXPLAIN", { name: "table_to_xml", volatility: "s", parallel: "r" }, false, /^table_to_xml runs SQL built at run time, and the planner may run it/],
    ["user STABLE plpgsql", { name: "sneaky", schema: "public", builtin: false, volatility: "s", language: "plpgsql" }, true, /^public\.sneaky is a plpgsql function created on the target, which PostgreSQL does not hold to its STABLE label/],
    ["user IMMUTABLE sql", { name: "helper", schema: "public", builtin: false, language: "sql" }, true, /^public\.helper is a sql function .* its IMMUTABLE label/],
    ["user function passes plain EXPLAIN", { name: "sneaky", schema: "public", builtin: false, volatility: "s", language: "plpgsql" }, false, null],
    ["an extension's SQL function", { name: "replace", schema: "public", builtin: false, language: "sql", extension: "citext" }, true, null],
    ["extension C function, immutable", { name: "similarity", schema: "public", builtin: false, language: "c", parallel: "u" }, true, null],
    ["extension C function, volatile", { name: "dblink_exec", schema: "public", builtin: false, language: "c", volatility: "v" }, true, /^public\.dblink_exec is volatile/],
    ["a user aggregate's SQL step", { kind: "aggregate", ref: "public.total", name: "add_up", schema: "public", builtin: false, language: "sql" }, true, /^aggregate public\.total \(public\.add_up\) is a sql function/],
    ["extension C operator passes", { kind: "operator", ref: "=", name: "citext_eq", schema: "public", builtin: false, language: "c", parallel: "u" }, true, null],
    ["SQL operator refused", { kind: "operator", ref: "===", name: "evil_eq", schema: "public", builtin: false, language: "sql" }, true, /^operator === \(public\.evil_eq\) is a sql function/],
    ["volatile cast refused", { kind: "cast", ref: "mood", name: "to_mood", schema: "public", builtin: false, language: "c", volatility: "v" }, true, /^the cast to mood \(public\.to_mood\) is volatile/],
    ["parallel-unsafe built-in", { name: "txid_current", volatility: "s", parallel: "u" }, true, /^txid_current is marked PARALLEL UNSAFE/],
    ["volatile in a view, named with the view", { name: "pg_advisory_lock", volatility: "v", within: "view", relation: "locker" }, true, /^pg_advisory_lock in view locker is volatile/],
    ["policy", { name: "audit_read", schema: "public", builtin: false, language: "plpgsql", within: "policy", relation: "t" }, true, /^public\.audit_read in a row-level security policy on t is a plpgsql function/],
  ])("%s", (_name, over, analyze, expected) => {
    const msg = refuseFunctions([fn(over)], analyze);
    if (expected === null) expect(msg).toBeNull();
    else expect(msg).toMatch(expected);
  });

  it("names the statement's own call before a view's", () => {
    const msg = refuseFunctions([fn({ name: "pg_notify", volatility: "v", within: "view", relation: "v" }), fn({ name: "setval", volatility: "v" })], true);
    expect(msg).toMatch(/^setval is volatile/);
  });
});
