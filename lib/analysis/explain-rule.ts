// Which functions EXPLAIN may let PostgreSQL run: a positive rule, judged on catalog facts read
// from the target (lib/server/commands/explain-calls.ts) for every function a statement may reach: called
// by name, behind an operator or a cast, in a view or row-level policy it reads, or as the
// support function of an aggregate that is not built in. A name counts every candidate with it:
// which overload the server picks depends on types known only after parse analysis.
//
// EXPLAIN ANALYZE executes the statement, so every such function must be:
//   - immutable or stable (pg_proc.provolatile): volatile ones are refused, except a few built-ins
//     that only read the clock or a random generator (CLOCK_OR_RANDOM);
//   - code the server's administrator installed: built into PostgreSQL (oid below 16384,
//     FirstNormalObjectId), C (language c or internal: only a superuser can create it), or part
//     of an extension (its script ships with the server). Extensions matter because their
//     overloads are candidates wherever they are installed: citext adds max(), replace() and
//     strpos(), the last two in SQL. Other SQL and PL functions, created on the target, are
//     refused: PostgreSQL does not hold them to their label, and a STABLE PL/pgSQL function may
//     call pg_advisory_lock or dblink_exec;
//   - for a built-in, not marked PARALLEL UNSAFE: PostgreSQL's own flag for its functions that
//     change transaction or database state (txid_current assigns a transaction id;
//     current_schema() is caught too, the keyword CURRENT_SCHEMA is not a call). Not asked of
//     others: CREATE FUNCTION defaults to PARALLEL UNSAFE, so there the flag says nothing;
//   - not one of the built-ins that run SQL given as text or built at run time (RUNS_SQL): the
//     SQL inside is invisible here. Most are volatile already; table_to_xml and its family are
//     stable and would run any view they are given.
//
// Plain EXPLAIN runs nothing of the statement, but the planner evaluates immutable functions
// with constant arguments and stable ones to estimate selectivity. Measured on 13 and 18: a plain
// EXPLAIN comparing a column with table_to_xml('a_view', …) ran the view, which took an advisory
// lock. So plain EXPLAIN refuses immutable or stable RUNS_SQL functions, nothing else: a volatile
// function is shown in the plan but never run (EXPLAIN of `SELECT pg_sleep(2)` is instant).

export interface ReachedFunction {
  /** Called by name, or run for an operator, a cast (or type input), or an aggregate's steps. */
  kind: "function" | "operator" | "cast" | "aggregate";
  /** The name written: the function, operator, cast target type or aggregate. */
  ref: string;
  /** Where: in the statement itself, or in a view or row-level policy of a relation it reads. */
  within: "statement" | "view" | "policy";
  /** The relation of that view or policy; null in the statement. */
  relation: string | null;
  schema: string;
  name: string;
  /** pg_get_function_identity_arguments(), to tell overloads apart. */
  args: string;
  volatility: "i" | "s" | "v";
  parallel: "s" | "r" | "u";
  language: string;
  builtin: boolean;
  /** The extension it belongs to (pg_depend deptype 'e'), if any. */
  extension: string | null;
}

// Built-ins that execute SQL text they are given (query_to_xml, ts_stat, ts_rewrite(tsquery,
// text), cursor_to_xml) or SQL they build over relations chosen at run time (table_to_xml,
// schema_to_xml, database_to_xml). Taken from pg_proc on 13 and 18: the same set on both.
const RUNS_SQL = new Set([
  "query_to_xml", "query_to_xmlschema", "query_to_xml_and_xmlschema", "cursor_to_xml", "cursor_to_xmlschema",
  "table_to_xml", "table_to_xmlschema", "table_to_xml_and_xmlschema", "schema_to_xml", "schema_to_xmlschema",
  "schema_to_xml_and_xmlschema", "database_to_xml", "database_to_xmlschema", "database_to_xml_and_xmlschema", "ts_stat",
]);
const runsSql = (f: ReachedFunction) =>
  f.builtin && f.schema === "pg_catalog" && (RUNS_SQL.has(f.name) || (f.name === "ts_rewrite" && f.args === "tsquery, text"));

// Volatile built-ins whose only input beyond their arguments is the clock or a random generator.
// timezone is here for `AT TIME ZONE`: on 13–15 its (text, timetz) overload is volatile, and
// every overload with the name is a candidate.
const CLOCK_OR_RANDOM = new Set([
  "timezone", "clock_timestamp", "timeofday", "random", "random_normal", "gen_random_uuid", "uuidv4", "uuidv7",
  "array_shuffle", "array_sample",
]);

const ORDER = { statement: 0, view: 1, policy: 2, function: 0, aggregate: 1, operator: 2, cast: 3 } as const;
const LABEL = { i: "IMMUTABLE", s: "STABLE", v: "VOLATILE" } as const;

/** The first function the rule refuses, as a message naming it and why; null when all pass. */
export function refuseFunctions(reached: readonly ReachedFunction[], analyze: boolean): string | null {
  const sorted = [...reached].sort((a, b) => ORDER[a.within] - ORDER[b.within] || ORDER[a.kind] - ORDER[b.kind] || a.name.localeCompare(b.name) || a.ref.localeCompare(b.ref));
  for (const f of sorted) {
    const why = analyze ? whyNotAnalyze(f) : whyNotPlan(f);
    if (why) return `${subject(f)} ${why}`;
  }
  return null;
}

function whyNotAnalyze(f: ReachedFunction): string | null {
  const suffix = "; plain EXPLAIN shows the plan without running it";
  if (runsSql(f)) return `runs SQL given to it as text or built at run time: EXPLAIN ANALYZE would run that SQL unchecked${suffix}`;
  if (f.volatility === "v" && !(f.builtin && f.schema === "pg_catalog" && CLOCK_OR_RANDOM.has(f.name))) {
    return `is volatile: EXPLAIN ANALYZE would run it${suffix}`;
  }
  if (!f.builtin && f.extension === null && f.language !== "c" && f.language !== "internal") {
    return `is a ${f.language} function created on the target, which PostgreSQL does not hold to its ${LABEL[f.volatility]} label: EXPLAIN ANALYZE would run whatever it calls${suffix}`;
  }
  if (f.builtin && f.parallel === "u") return `is marked PARALLEL UNSAFE (it changes transaction or database state): EXPLAIN ANALYZE would run it${suffix}`;
  return null;
}

function whyNotPlan(f: ReachedFunction): string | null {
  if (f.volatility !== "v" && runsSql(f)) {
    return "runs SQL built at run time, and the planner may run it while estimating: EXPLAIN would run that SQL unchecked";
  }
  return null;
}

function subject(f: ReachedFunction): string {
  const fn = f.schema === "pg_catalog" ? f.name : `${f.schema}.${f.name}`;
  const what = {
    function: fn,
    aggregate: `aggregate ${f.ref} (${fn})`,
    operator: `operator ${f.ref} (${fn})`,
    cast: `the cast to ${f.ref} (${fn})`,
  }[f.kind];
  if (f.within === "view") return `${what} in view ${f.relation}`;
  if (f.within === "policy") return `${what} in a row-level security policy on ${f.relation}`;
  return what;
}
