import "server-only";
import { z } from "zod";
import type { SetupContext } from "./context";

// SELECT on what a schema holds, now and later, for one role: the planning role's tables (EXPLAIN)
// and the monitoring role's sequences (their last_value). "Later" is ALTER DEFAULT PRIVILEGES for
// every role that owns such an object in the schema today: default privileges follow the role
// that creates an object, and the roles that created the application's tables are the ones that
// will create its next ones. An object created by another role needs setup run again.

export type SchemaObjects = "tables" | "sequences";

const KINDS: Record<SchemaObjects, { relkinds: string; defacl: string; privilege: string; label: string }> = {
  // Plain and partitioned tables, views, materialized views and foreign tables: what a SELECT reads.
  tables: { relkinds: "{r,p,v,m,f}", defacl: "r", privilege: "SELECT", label: "TABLES" },
  // SELECT on a sequence reads last_value and nothing else: nextval and setval need USAGE/UPDATE.
  sequences: { relkinds: "{S}", defacl: "S", privilege: "SELECT", label: "SEQUENCES" },
};

export async function schemaSelectSteps(ctx: SetupContext, role: string, schema: string, objects: SchemaObjects, withUsage: boolean): Promise<void> {
  const k = KINDS[objects];
  const label = `${k.privilege} on ${objects} in schema ${schema}`;
  if (!(await ctx.flag(`SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS v`, [schema]))) {
    ctx.actions.push({ what: `grant ${label} to ${role}`, status: "skipped", reason: `schema ${schema} does not exist` });
    return;
  }
  if (withUsage) {
    await ctx.step(`grant USAGE on schema ${schema} to ${role}`, async () => {
      if (await ctx.flag(`SELECT has_schema_privilege($1, $2, 'USAGE') AS v`, [role, schema])) return "exists";
      await ctx.execFormatted("GRANT USAGE ON SCHEMA %I TO %I", schema, role);
      return "done";
    });
  }
  await ctx.step(`grant ${label} to ${role}`, async () => {
    const missing = await ctx.flag(
      `SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $2 AND c.relkind = ANY ($3::"char"[]) AND NOT has_table_privilege($1, c.oid, $4)) AS v`,
      [role, schema, k.relkinds, k.privilege],
    );
    if (!missing) return "exists";
    await ctx.execFormatted(`GRANT ${k.privilege} ON ALL ${k.label} IN SCHEMA %I TO %I`, schema, role);
    return "done";
  });
  const owners = await ctx.text(
    `SELECT coalesce(json_agg(DISTINCT r.rolname::text ORDER BY r.rolname::text), '[]')::text AS v FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_roles r ON r.oid = c.relowner
      WHERE n.nspname = $1 AND c.relkind = ANY ($2::"char"[])`,
    [schema, k.relkinds],
  );
  for (const owner of z.array(z.string()).parse(JSON.parse(owners ?? "[]"))) {
    await ctx.step(`default privileges: ${k.privilege} on ${objects} ${owner} creates in ${schema}, to ${role}`, async () => {
      const has = await ctx.flag(
        `SELECT EXISTS (SELECT 1 FROM pg_default_acl d, aclexplode(d.defaclacl) a
          WHERE d.defaclrole = (SELECT oid FROM pg_roles WHERE rolname = $1)
            AND d.defaclnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $2)
            AND d.defaclobjtype = $3 AND a.privilege_type = $4
            AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = $5)) AS v`,
        [owner, schema, k.defacl, k.privilege, role],
      );
      if (has) return "exists";
      await ctx.execFormatted(`ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT ${k.privilege} ON ${k.label} TO %I`, owner, schema, role);
      return "done";
    });
  }
}
