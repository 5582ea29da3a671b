import "server-only";
import pg from "pg";
import { exec } from "@/lib/db/query";
import { BACKUP_LOG_DDL } from "./backup-log";
import { COLUMN_STATS_FUNCTION, COLUMN_STATS_SQL } from "./column-stats";
import { aclHas, createSetupContext, type SetupAction, type SetupContext } from "./context";
import { explainRoleSteps, type ExplainRoleOptions } from "./explain-role";
import { grantsSql, MONITOR_CONNECTION_LIMIT } from "./grants";
import { loginRoleSteps } from "./login-role";
import { explainRoleSql, sequenceGrantsSql } from "./opt-in-grants";
import { sequenceGrantSteps } from "./sequence-grants";
import { databaseOf } from "./url";

// Installs into a target database what the dashboard reads, and reports each step. Every step
// looks before it acts, so a second run reports "exists" everywhere and changes nothing.

export type { SetupAction } from "./context";

export interface SetupOptions {
  /** An administrator's connection to the target database. */
  url: string;
  /**
   * The monitoring role that gets EXECUTE and SELECT grants (default pgpulse_monitor). With a
   * password, the role is created when missing (LOGIN, a connection limit, pg_monitor, timeouts).
   * When the role does not exist and is not created, grants go to pg_monitor.
   */
  monitorRole?: { name: string; password?: string };
  /** Opt-in: a planning role for EXPLAIN (lib/setup/explain-role.ts). */
  explainRole?: ExplainRoleOptions;
  /** Opt-in: SELECT on the sequences of these schemas for the monitoring role (lib/setup/sequence-grants.ts). */
  sequenceSchemas?: string[];
}

export interface SetupResult {
  actions: SetupAction[];
  grantsSql: string;
  /** The opt-in grants as SQL (planning role, sequences), when asked for. */
  optInSql: string | null;
}

export const DEFAULT_MONITOR_ROLE = "pgpulse_monitor";

export async function runSetup(opts: SetupOptions): Promise<SetupResult> {
  const roleName = opts.monitorRole?.name ?? DEFAULT_MONITOR_ROLE;
  const database = databaseOf(opts.url);
  const client = new pg.Client({ connectionString: opts.url, application_name: "pgpulse-setup", connectionTimeoutMillis: 10_000 });
  await client.connect();
  const ctx = createSetupContext(client);
  const { step, flag, text, execFormatted } = ctx;
  const relationExists = (name: string) =>
    flag(`SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.relname = $1 AND n.nspname NOT IN ('pg_catalog', 'information_schema')) AS v`, [name]);
  const extension = (name: string) => async () => {
    if (await flag(`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = $1) AS v`, [name])) return "exists" as const;
    if (!(await flag(`SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = $1) AS v`, [name]))) {
      return { status: "skipped" as const, reason: `${name} is not available on this server (install the contrib package)` };
    }
    await execFormatted("CREATE EXTENSION IF NOT EXISTS %I", name);
    return "done" as const;
  };

  try {
    const roleExistsAtStart = await ctx.roleExists(roleName);

    await step("view performance_metrics", async () => {
      if (await relationExists("performance_metrics")) return "exists";
      await exec(client, `CREATE VIEW public.performance_metrics AS
        SELECT schemaname, relname, seq_scan, idx_scan, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables`);
      return "done";
    });
    await step("table slow_query_log", async () => {
      if (await relationExists("slow_query_log")) return "exists";
      await exec(client, `CREATE TABLE public.slow_query_log (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(), query_text text, execution_time interval,
        captured_at timestamptz DEFAULT current_timestamp)`);
      return "done";
    });
    await step("table backup_log", async () => {
      if (await relationExists("backup_log")) return "exists";
      await exec(client, BACKUP_LOG_DDL);
      return "done";
    });
    await step("extension pg_stat_statements", extension("pg_stat_statements"));
    await step("pg_stat_statements in shared_preload_libraries", async () => {
      const libs = (await text(`SELECT current_setting('shared_preload_libraries') AS v`)) ?? "";
      if (libs.split(",").map((s) => s.trim().replace(/"/g, "")).includes("pg_stat_statements")) return "exists";
      return { status: "failed", reason: "add pg_stat_statements to shared_preload_libraries in postgresql.conf and restart the server; until then its view errors" };
    });
    await step("extension pgstattuple", extension("pgstattuple"));
    await step("schema pgpulse", async () => {
      if (await flag(`SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'pgpulse') AS v`)) return "exists";
      await exec(client, `CREATE SCHEMA pgpulse`);
      return "done";
    });
    await step(`function ${COLUMN_STATS_FUNCTION} (SECURITY DEFINER)`, async () => {
      if (await flag(`SELECT to_regprocedure('pgpulse.column_stats()') IS NOT NULL AS v`)) return "exists";
      await exec(client, COLUMN_STATS_SQL);
      return "done";
    });
    await step(`revoke EXECUTE on ${COLUMN_STATS_FUNCTION} from PUBLIC`, async () => {
      if (!(await functionGrantedTo(ctx, "PUBLIC"))) return "exists";
      await exec(client, `REVOKE EXECUTE ON FUNCTION pgpulse.column_stats() FROM PUBLIC`);
      return "done";
    });

    // Created with a password; without one, a missing role is reported and grants go to pg_monitor.
    const monitor = opts.monitorRole;
    if (monitor && (monitor.password !== undefined || !roleExistsAtStart)) {
      const present = await loginRoleSteps(
        ctx,
        { name: roleName, password: monitor.password, connectionLimit: MONITOR_CONNECTION_LIMIT, database, existedAtStart: roleExistsAtStart },
        "run the printed SQL, or pass a password to create it",
      );
      if (present) {
        await step(`grant pg_monitor to ${roleName}`, async () => {
          if (await flag(`SELECT pg_has_role($1, 'pg_monitor', 'MEMBER') AS v`, [roleName])) return "exists";
          await execFormatted("GRANT pg_monitor TO %I", roleName);
          return "done";
        });
      }
    }

    const grantee = (await ctx.roleExists(roleName)) ? roleName : "pg_monitor";
    await step(`grant USAGE on schema pgpulse to ${grantee}`, async () => {
      if (await aclHas(ctx, `SELECT nspacl AS acl, nspowner AS owner, 'n' AS kind FROM pg_namespace WHERE nspname = 'pgpulse'`, grantee, "USAGE")) return "exists";
      await execFormatted("GRANT USAGE ON SCHEMA pgpulse TO %I", grantee);
      return "done";
    });
    await step(`grant EXECUTE on ${COLUMN_STATS_FUNCTION} to ${grantee}`, async () => {
      if (await functionGrantedTo(ctx, grantee)) return "exists";
      await execFormatted("GRANT EXECUTE ON FUNCTION pgpulse.column_stats() TO %I", grantee);
      return "done";
    });
    for (const rel of ["slow_query_log", "performance_metrics", "backup_log"]) {
      await step(`grant SELECT on ${rel} to ${grantee}`, async () => {
        const schema = await text(
          `SELECT n.nspname AS v FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relname = $1 AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY n.nspname = 'public' DESC LIMIT 1`,
          [rel],
        );
        if (!schema) return { status: "skipped", reason: `${rel} does not exist` };
        const acl = `SELECT c.relacl AS acl, c.relowner AS owner, 'r' AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = ${pg.escapeLiteral(schema)} AND c.relname = ${pg.escapeLiteral(rel)}`;
        if (await aclHas(ctx, acl, grantee, "SELECT")) return "exists";
        await execFormatted("GRANT SELECT ON %I.%I TO %I", schema, rel, grantee);
        return "done";
      });
    }
    if (opts.sequenceSchemas?.length) await sequenceGrantSteps(ctx, grantee, opts.sequenceSchemas);
    if (opts.explainRole) await explainRoleSteps(ctx, opts.explainRole, roleName, database);
  } finally {
    await client.end().catch(() => {});
  }
  const optIn = [
    opts.explainRole ? explainRoleSql({ role: opts.explainRole.name, database, access: opts.explainRole.access }) : null,
    opts.sequenceSchemas?.length ? sequenceGrantsSql({ role: roleName, schemas: opts.sequenceSchemas }) : null,
  ].filter((x) => x !== null);
  return { actions: ctx.actions, grantsSql: grantsSql({ role: roleName, database }), optInSql: optIn.length ? optIn.join("\n\n") : null };
}

function functionGrantedTo(ctx: SetupContext, grantee: string): Promise<boolean> {
  return aclHas(ctx, `SELECT proacl AS acl, proowner AS owner, 'f' AS kind FROM pg_proc WHERE oid = 'pgpulse.column_stats()'::regprocedure`, grantee, "EXECUTE");
}
