import "server-only";
import pg from "pg";
import { z } from "zod";
import { exec, maybeOne, one } from "@/lib/db/query";
import { BACKUP_LOG_DDL } from "./backup-log";
import { COLUMN_STATS_FUNCTION, COLUMN_STATS_SQL } from "./column-stats";
import { grantsSql, MONITOR_CONNECTION_LIMIT, MONITOR_ROLE_SETTINGS } from "./grants";
import { scramVerifier } from "./scram";
import { databaseOf } from "./url";

// Installs into a target database what the dashboard reads, and reports each step. Every step
// looks before it acts, so a second run reports "exists" everywhere and changes nothing.

export type SetupStatus = "done" | "exists" | "skipped" | "failed";

export interface SetupAction {
  what: string;
  status: SetupStatus;
  reason?: string;
}

export interface SetupOptions {
  /** An administrator's connection to the target database. */
  url: string;
  /**
   * The monitoring role that gets EXECUTE and SELECT grants (default pgpulse_monitor). With a
   * password, the role is created when missing (LOGIN, a connection limit, pg_monitor, timeouts).
   * When the role does not exist and is not created, grants go to pg_monitor.
   */
  monitorRole?: { name: string; password?: string };
}

export interface SetupResult {
  actions: SetupAction[];
  grantsSql: string;
}

export const DEFAULT_MONITOR_ROLE = "pgpulse_monitor";

type Step = () => Promise<Omit<SetupAction, "what"> | SetupStatus>;

// Every look-up below reads one column named v.
const flagRow = z.object({ v: z.boolean() });
const textRow = z.object({ v: z.string() });

export async function runSetup(opts: SetupOptions): Promise<SetupResult> {
  const roleName = opts.monitorRole?.name ?? DEFAULT_MONITOR_ROLE;
  const database = databaseOf(opts.url);
  const client = new pg.Client({ connectionString: opts.url, application_name: "pgpulse-setup", connectionTimeoutMillis: 10_000 });
  await client.connect();
  const actions: SetupAction[] = [];
  const step = async (what: string, fn: Step) => {
    try {
      const r = await fn();
      actions.push(typeof r === "string" ? { what, status: r } : { what, ...r });
    } catch (e) {
      actions.push({ what, status: "failed", reason: explain(e) });
    }
  };
  const flag = async (sql: string, params: unknown[] = []) => (await one(client, flagRow, sql, params, "setup: check")).v;
  const text = async (sql: string, params: unknown[] = []) => (await maybeOne(client, textRow, sql, params, "setup: read"))?.v;
  // Identifiers are quoted by the server (format %I / %L), never by string building here.
  const execFormatted = async (template: string, ...args: string[]) => {
    const sql = (await one(client, textRow, `SELECT format($1, ${args.map((_, i) => `$${i + 2}::text`).join(", ")}) AS v`, [template, ...args], "setup: format")).v;
    await exec(client, sql);
  };
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
    const roleExistsAtStart = await flag(`SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS v`, [roleName]);

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
      if (!(await functionGrantedTo(client, "PUBLIC"))) return "exists";
      await exec(client, `REVOKE EXECUTE ON FUNCTION pgpulse.column_stats() FROM PUBLIC`);
      return "done";
    });

    if (opts.monitorRole?.password !== undefined) {
      const password = opts.monitorRole.password;
      await step(`role ${roleName} (LOGIN, CONNECTION LIMIT ${MONITOR_CONNECTION_LIMIT})`, async () => {
        if (roleExistsAtStart) return { status: "exists", reason: "password left unchanged" };
        await execFormatted(`CREATE ROLE %I LOGIN PASSWORD %L CONNECTION LIMIT ${MONITOR_CONNECTION_LIMIT}`, roleName, scramVerifier(password));
        return "done";
      });
      await step(`grant pg_monitor to ${roleName}`, async () => {
        if (await flag(`SELECT pg_has_role($1, 'pg_monitor', 'MEMBER') AS v`, [roleName])) return "exists";
        await execFormatted("GRANT pg_monitor TO %I", roleName);
        return "done";
      });
      for (const [name, value] of MONITOR_ROLE_SETTINGS) {
        await step(`ALTER ROLE ${roleName} SET ${name} = ${value}`, async () => {
          const has = await flag(
            `SELECT EXISTS (SELECT 1 FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
              WHERE r.rolname = $1 AND s.setdatabase = 0 AND $2 = ANY (s.setconfig)) AS v`,
            [roleName, `${name}=${value}`],
          );
          if (has) return "exists";
          await execFormatted(`ALTER ROLE %I SET ${name} = %L`, roleName, value);
          return "done";
        });
      }
      await step(`grant CONNECT on database ${database} to ${roleName}`, async () => {
        if (await flag(`SELECT has_database_privilege($1, current_database(), 'CONNECT') AS v`, [roleName])) return "exists";
        await execFormatted("GRANT CONNECT ON DATABASE %I TO %I", database, roleName);
        return "done";
      });
    } else if (!roleExistsAtStart && opts.monitorRole) {
      actions.push({ what: `role ${roleName}`, status: "skipped", reason: "does not exist: run the printed SQL, or pass a password to create it" });
    }

    const grantee = (await flag(`SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS v`, [roleName])) ? roleName : "pg_monitor";
    await step(`grant USAGE on schema pgpulse to ${grantee}`, async () => {
      if (await aclHas(client, `SELECT nspacl AS acl, nspowner AS owner, 'n' AS kind FROM pg_namespace WHERE nspname = 'pgpulse'`, grantee, "USAGE")) return "exists";
      await execFormatted("GRANT USAGE ON SCHEMA pgpulse TO %I", grantee);
      return "done";
    });
    await step(`grant EXECUTE on ${COLUMN_STATS_FUNCTION} to ${grantee}`, async () => {
      if (await functionGrantedTo(client, grantee)) return "exists";
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
        if (await aclHas(client, acl, grantee, "SELECT")) return "exists";
        await execFormatted("GRANT SELECT ON %I.%I TO %I", schema, rel, grantee);
        return "done";
      });
    }
  } finally {
    await client.end().catch(() => {});
  }
  return { actions, grantsSql: grantsSql({ role: roleName, database }) };
}

/** True when the ACL grants `privilege` to `grantee` directly (not through membership). */
async function aclHas(client: pg.Client, aclQuery: string, grantee: string, privilege: string): Promise<boolean> {
  const r = await one(
    client,
    flagRow,
    `SELECT EXISTS (
       SELECT 1 FROM (${aclQuery}) o, aclexplode(coalesce(o.acl, acldefault(o.kind::"char", o.owner))) a
       WHERE a.privilege_type = $2
         AND a.grantee = CASE WHEN $1 = 'PUBLIC' THEN 0::oid ELSE (SELECT oid FROM pg_roles WHERE rolname = $1) END) AS v`,
    [grantee, privilege],
    "setup: acl",
  );
  return r.v;
}

function functionGrantedTo(client: pg.Client, grantee: string): Promise<boolean> {
  return aclHas(client, `SELECT proacl AS acl, proowner AS owner, 'f' AS kind FROM pg_proc WHERE oid = 'pgpulse.column_stats()'::regprocedure`, grantee, "EXECUTE");
}

function explain(e: unknown): string {
  const err = e as { code?: string; message?: string };
  if (err.code === "42501") return `insufficient privilege: ${err.message} (run setup as the database owner or a superuser)`;
  return err.message ?? String(e);
}
