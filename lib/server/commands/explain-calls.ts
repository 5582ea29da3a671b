import "server-only";
import type { PoolClient } from "pg";
import { z } from "zod";
import type { ReachedFunction } from "@/lib/analysis/explain-rule";
import type { StatementCalls } from "@/lib/analysis/sql-calls";
import { many } from "@/lib/db/query";

// The functions a statement may reach on the target, from its catalog, for the EXPLAIN rule
// (lib/analysis/explain-rule.ts). Run on the EXPLAIN's own connection and transaction, so names
// resolve against the search path the statement will see.
//
// - A name resolves to every candidate: in the schema written, else in current_schemas(true)
//   (pg_catalog included). A name with no candidate is not listed: the server cannot run what
//   it cannot find, and fails the statement with 42883 before anything runs.
// - An operator is its oprcode; a cast target type is its input function, every cast function
//   into it, and, for a domain, what its CHECK constraints call. An aggregate that is not built
//   in brings its support functions: its own volatility is always IMMUTABLE (CREATE AGGREGATE
//   sets none) and says nothing of theirs.
// - A relation the statement reads that is not built in (oid >= 16384) brings what its view
//   definition and its row-level policies call, and the relations those read, recursively.
//   pg_depend cannot tell: PostgreSQL records no dependency on built-in (pinned) objects, so a
//   view calling pg_advisory_lock depends on nothing there. The stored trees (pg_node_tree)
//   name every call by oid (`:funcid`, `:aggfnoid`, `:winfnoid`, `:opno`) and every relation
//   (`:relid`); a literal cannot fake one (strings are escaped, constants are stored as bytes),
//   and a false match would only add a function to vet. A CTE's name is looked up like a
//   table's: a same-named relation gets vetted for nothing.
// Built-in views (pg_stat_activity, pg_locks) are trusted like built-in functions: they read.
const TREE_CALLS = String.raw`:(funcid|aggfnoid|winfnoid|opno) (\d+)`;
// The stored trees that run when relation rel.oid is read: its view rule and its policies. Per
// relation (indexed look-ups), never over all views: a catalog may hold thousands.
const TREES_OF_REL = `(
       SELECT 'view' AS within, w.ev_action::text AS tree FROM pg_rewrite w WHERE w.ev_class = rel.oid AND w.ev_type = '1'
       UNION ALL
       SELECT 'policy', concat(p.polqual::text, ' ', p.polwithcheck::text) FROM pg_policy p WHERE p.polrelid = rel.oid
     ) t`;
const REACHED_SQL = String.raw`/* pgpulse */
WITH RECURSIVE
  wanted AS (
    SELECT e.key AS kind, x->>0 AS schema, x->>1 AS name
      FROM jsonb_each($1::jsonb) e, jsonb_array_elements(e.value) x
  ),
  named AS (
    SELECT w.kind, w.name, ns.oid AS nsp
      FROM wanted w JOIN pg_namespace ns
        ON (w.schema IS NULL AND ns.nspname = ANY (current_schemas(true)))
        OR ns.nspname = w.schema
        OR (w.schema = 'pg_temp' AND ns.oid = pg_my_temp_schema())
  ),
  rel(oid) AS (
    SELECT r.oid FROM wanted w
      CROSS JOIN LATERAL (SELECT to_regclass(CASE WHEN w.schema IS NULL THEN quote_ident(w.name)
                                                  ELSE quote_ident(w.schema) || '.' || quote_ident(w.name) END)::oid AS oid) r
     WHERE w.kind = 'relations' AND r.oid >= 16384
    UNION
    SELECT m[1]::oid FROM rel
     CROSS JOIN LATERAL ${TREES_OF_REL}
     CROSS JOIN LATERAL regexp_matches(t.tree, ':relid (\d+)', 'g') m
     WHERE m[1]::oid >= 16384
  ),
  in_trees AS (
    SELECT t.within, rel.oid AS rel, m[1] AS field, m[2]::oid AS id FROM rel
     CROSS JOIN LATERAL ${TREES_OF_REL}
     CROSS JOIN LATERAL regexp_matches(t.tree, '${TREE_CALLS}', 'g') m
  ),
  reached AS (
    SELECT 'function' AS kind, n.name AS ref, 'statement' AS within, NULL::oid AS rel, p.oid AS fn
      FROM named n JOIN pg_proc p ON p.proname = n.name AND p.pronamespace = n.nsp
     WHERE n.kind = 'functions'
    UNION ALL
    SELECT 'operator', n.name, 'statement', NULL, o.oprcode::oid
      FROM named n JOIN pg_operator o ON o.oprname = n.name AND o.oprnamespace = n.nsp
     WHERE n.kind = 'operators' AND o.oprcode <> 0
    UNION ALL
    SELECT 'cast', n.name, 'statement', NULL, f.fn
      FROM named n JOIN pg_type t ON t.typname = n.name AND t.typnamespace = n.nsp
     CROSS JOIN LATERAL (
       SELECT t.typinput::oid AS fn
       UNION ALL SELECT c.castfunc FROM pg_cast c WHERE c.casttarget = t.oid AND c.castfunc <> 0
       UNION ALL SELECT CASE WHEN m[1] = 'opno' THEN (SELECT o.oprcode::oid FROM pg_operator o WHERE o.oid = m[2]::oid) ELSE m[2]::oid END
         FROM pg_constraint k CROSS JOIN LATERAL regexp_matches(k.conbin::text, '${TREE_CALLS}', 'g') m
        WHERE k.contypid = t.oid
     ) f
     WHERE n.kind = 'types'
    UNION ALL
    SELECT 'function', i.id::regproc::text, i.within, i.rel, i.id FROM in_trees i WHERE i.field <> 'opno'
    UNION ALL
    SELECT 'operator', o.oprname::text, i.within, i.rel, o.oprcode::oid
      FROM in_trees i JOIN pg_operator o ON o.oid = i.id WHERE i.field = 'opno'
  ),
  support AS (
    SELECT 'aggregate' AS kind, r.fn::regproc::text AS ref, r.within, r.rel, s.fn
      FROM reached r JOIN pg_aggregate a ON a.aggfnoid = r.fn AND r.fn >= 16384
     CROSS JOIN LATERAL unnest(ARRAY[a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn,
                                     a.aggdeserialfn, a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn]::oid[]) s(fn)
     WHERE s.fn <> 0
  )
SELECT DISTINCT r.kind, r.ref, r.within, r.rel::regclass::text AS relation, n.nspname AS schema, p.proname AS name,
       pg_get_function_identity_arguments(p.oid) AS args, p.provolatile::text AS volatility,
       p.proparallel::text AS parallel, l.lanname AS language, p.oid < 16384 AS builtin,
       (SELECT e.extname FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
         WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.refclassid = 'pg_extension'::regclass
           AND d.deptype = 'e') AS extension
  FROM (SELECT * FROM reached UNION ALL SELECT * FROM support) r
  JOIN pg_proc p ON p.oid = r.fn
  JOIN pg_namespace n ON n.oid = p.pronamespace
  JOIN pg_language l ON l.oid = p.prolang`;

const reachedRow = z.object({
  kind: z.enum(["function", "operator", "cast", "aggregate"]),
  ref: z.string(),
  within: z.enum(["statement", "view", "policy"]),
  relation: z.string().nullable(),
  schema: z.string(),
  name: z.string(),
  args: z.string(),
  volatility: z.enum(["i", "s", "v"]),
  parallel: z.enum(["s", "r", "u"]),
  language: z.string(),
  builtin: z.boolean(),
  extension: z.string().nullable(),
});

export async function reachedFunctions(client: PoolClient, calls: StatementCalls): Promise<ReachedFunction[]> {
  const pairs = (names: StatementCalls["functions"]) => names.map((n) => [n.schema, n.name]);
  const wanted = { functions: pairs(calls.functions), operators: pairs(calls.operators), types: pairs(calls.types), relations: pairs(calls.relations) };
  return many(client, reachedRow, REACHED_SQL, [JSON.stringify(wanted)], "explain reached functions");
}
