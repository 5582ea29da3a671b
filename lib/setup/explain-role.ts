import "server-only";
import type { SetupContext } from "./context";
import { EXPLAIN_CONNECTION_LIMIT, type ExplainAccess } from "./opt-in-grants";
import { loginRoleSteps } from "./login-role";
import { schemaSelectSteps } from "./schema-grants";

// The planning role (opt-in): what EXPLAIN connects as when a target's explainUrl names it, so
// EXPLAIN can plan, and EXPLAIN ANALYZE run, the application's SELECTs. EXPLAIN needs SELECT on
// every table a statement reads; the monitoring role has none and should keep none.
//
// Access is one of two, chosen by whoever runs setup:
// - SELECT on the tables and views of named schemas (every version; the default): the least that
//   lets EXPLAIN work, plus default privileges for the tables their owners create later;
// - pg_read_all_data (PostgreSQL 14+): SELECT on every table of every database and USAGE on every
//   schema. Measured on 14 and 18: that includes pg_authid, the roles' password hashes.
// Either way the role is never a superuser, owns nothing, cannot write (no INSERT/UPDATE/DELETE
// privilege, and default_transaction_read_only as the monitoring role), cannot signal backends,
// and pgpulse only ever runs EXPLAIN through it, in a rolled-back read-only transaction.

export interface ExplainRoleOptions {
  name: string;
  /** Creates the role when it is missing. */
  password?: string;
  access: ExplainAccess;
}

export async function explainRoleSteps(ctx: SetupContext, opts: ExplainRoleOptions, monitorRole: string, database: string): Promise<void> {
  const { name } = opts;
  if (name === monitorRole) {
    ctx.actions.push({ what: `planning role ${name}`, status: "failed", reason: "must not be the monitoring role: the monitoring role reads statistics only, never table data" });
    return;
  }
  const existedAtStart = await ctx.roleExists(name);
  if (existedAtStart && (await ctx.flag(`SELECT rolsuper OR rolbypassrls AS v FROM pg_roles WHERE rolname = $1`, [name]))) {
    ctx.actions.push({ what: `planning role ${name}`, status: "failed", reason: "is a superuser or bypasses row-level security: EXPLAIN ANALYZE must not run as one; choose another name" });
    return;
  }
  const present = await loginRoleSteps(
    ctx,
    { name, password: opts.password, connectionLimit: EXPLAIN_CONNECTION_LIMIT, database, existedAtStart },
    "pass --explain-password to create it",
  );
  if (!present) return;
  if (opts.access === "pg_read_all_data") {
    await ctx.step(`grant pg_read_all_data to ${name}`, async () => {
      if (!(await ctx.flag(`SELECT current_setting('server_version_num')::int >= 140000 AS v`))) {
        return { status: "failed", reason: "PostgreSQL 13 has no pg_read_all_data: name the schemas instead (--explain-schemas)" };
      }
      if (await ctx.flag(`SELECT pg_has_role($1, 'pg_read_all_data', 'MEMBER') AS v`, [name])) return "exists";
      await ctx.execFormatted("GRANT pg_read_all_data TO %I", name);
      return "done";
    });
    return;
  }
  for (const schema of opts.access.schemas) await schemaSelectSteps(ctx, name, schema, "tables", true);
}
