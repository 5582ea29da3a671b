import "server-only";
import type { PoolClient } from "pg";
import { parseSync } from "libpg-query";
import { z } from "zod";
import type { QualifiedName } from "@/lib/analysis/sql-calls";
import { qualified, quoteIdent } from "@/lib/db/ident";
import { maybeOne, one } from "@/lib/db/query";
import { DEFAULT_EXPLAIN_ROLE } from "@/lib/setup/opt-in-grants";

// When the target refuses an EXPLAIN for want of a privilege (42501), which one: the first
// relation the statement names that the connection's role may not SELECT, or whose schema it may
// not use, read from the catalog on the same connection after the rollback. The answer names
// the role, the relation and the exact GRANT, and the setup option that gives EXPLAIN a planning
// role of its own. Asked only after the server refused; an unqualified name that a WITH clause
// of the statement defines is left out (the CTE, not a table, is what it reads). Built from
// catalog facts only, never from the server's message.

const MISSING_SQL = `/* pgpulse */
WITH wanted AS (
  SELECT x->>0 AS schema, x->>1 AS name, ord FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(x, ord)
), found AS (
  -- An unqualified name is the first match along the search path, as the server resolves it.
  SELECT DISTINCT ON (w.ord) w.ord, n.oid AS nsp, n.nspname::text AS schema, c.oid AS rel, c.relname::text AS name
    FROM wanted w
    JOIN pg_namespace n ON n.nspname = w.schema OR (w.schema IS NULL AND n.nspname = ANY (current_schemas(true)))
    JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = w.name
   ORDER BY w.ord, array_position(current_schemas(true), n.nspname)
)
SELECT schema, name, NOT has_schema_privilege(nsp, 'USAGE') AS no_usage
  FROM found
 WHERE NOT has_schema_privilege(nsp, 'USAGE') OR NOT has_table_privilege(rel, 'SELECT')
 ORDER BY ord
 LIMIT 1`;

const missingRow = z.object({ schema: z.string(), name: z.string(), no_usage: z.boolean() });
const roleRow = z.object({ role: z.string() });

/**
 * The refusal's text. `planningRole`: the connection is a planning role (the target's
 * explainUrl), not the monitoring role.
 */
export async function privilegeRefusal(client: PoolClient, sql: string, relations: readonly QualifiedName[], planningRole: boolean): Promise<string> {
  const ctes = cteNames(sql);
  relations = relations.filter((r) => r.schema !== null || !ctes.has(r.name));
  const { role } = await one(client, roleRow, "/* pgpulse */ SELECT current_user::text AS role", [], "explain: role");
  const missing = await maybeOne(client, missingRow, MISSING_SQL, [JSON.stringify(relations.map((r) => [r.schema, r.name]))], "explain: privileges");
  const who = planningRole ? `the planning role ${role}` : `the monitoring role ${role}, which EXPLAIN connects as,`;
  const r = quoteIdent(role);
  const setup = (schema: string) =>
    planningRole
      ? `or run npm run setup -- --explain-role ${r} --explain-schemas ${quoteIdent(schema)}`
      : `or give EXPLAIN a planning role of its own, so the monitoring role reads no table data: npm run setup -- --explain-role ${DEFAULT_EXPLAIN_ROLE} --explain-password <password> --explain-schemas ${quoteIdent(schema)}, then set the target's explainUrl (docs/SECURITY.md)`;
  if (!missing) {
    return `${who} may not read a table or call a function this statement reaches (through a view, perhaps): grant it SELECT there, ${setup("<schema>")}`;
  }
  const rel = qualified(missing.schema, missing.name);
  const grants = [...(missing.no_usage ? [`GRANT USAGE ON SCHEMA ${quoteIdent(missing.schema)} TO ${r};`] : []), `GRANT SELECT ON ${rel} TO ${r};`];
  return `${who} may not read ${rel}${missing.no_usage ? ` (no USAGE on schema ${quoteIdent(missing.schema)})` : ""}: ${grants.join(" ")} ${setup(missing.schema)}`;
}

/** Names a WITH clause defines anywhere in the statement (the parser is loaded: it was parsed). */
function cteNames(sql: string): Set<string> {
  const names = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!v || typeof v !== "object") return;
    for (const [k, x] of Object.entries(v)) {
      if (k === "ctename" && typeof x === "string") names.add(x);
      else visit(x);
    }
  };
  try {
    visit(parseSync(sql));
  } catch {
    // Already run by the server, so it parses; should it not, nothing is left out.
  }
  return names;
}
