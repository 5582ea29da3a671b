import { quoteIdent } from "@/lib/db/ident";

// The least-privilege monitoring role, printed for an administrator to run (or review).

/** Same limits as the dashboard's monitoring session (lib/db/pool.ts). */
export const MONITOR_ROLE_SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ["statement_timeout", "5s"],
  ["lock_timeout", "1s"],
  ["idle_in_transaction_session_timeout", "10s"],
  ["default_transaction_read_only", "on"],
  ["jit", "off"],
];

/**
 * A pgpulse process holds at most 3 connections to a target (two collector lanes and one for
 * explicit actions such as EXPLAIN); 8 leaves room for a second process sharing the work (or
 * taking it over) and a DBA's own session as the role.
 */
export const MONITOR_CONNECTION_LIMIT = 8;

export function grantsSql({ role, database }: { role: string; database: string }): string {
  const r = quoteIdent(role);
  const db = quoteIdent(database);
  return [
    `-- Least-privilege monitoring role for pgpulse (run as a superuser or the database owner).`,
    `CREATE ROLE ${r} LOGIN PASSWORD '<choose a password>' CONNECTION LIMIT ${MONITOR_CONNECTION_LIMIT};`,
    `GRANT pg_monitor TO ${r};`,
    `GRANT CONNECT ON DATABASE ${db} TO ${r};`,
    `-- Session limits held by the role itself: poolers such as PgBouncer in transaction mode`,
    `-- reject startup parameters, so ALTER ROLE is the way that always applies.`,
    ...MONITOR_ROLE_SETTINGS.map(([k, v]) => `ALTER ROLE ${r} SET ${k} = '${v}';`),
    `-- Objects installed by setup (in database ${db}):`,
    `GRANT USAGE ON SCHEMA pgpulse TO ${r};`,
    `GRANT EXECUTE ON FUNCTION pgpulse.column_stats() TO ${r};`,
    `GRANT SELECT ON slow_query_log, performance_metrics, backup_log TO ${r};`,
    `-- Without a pooler the same limits can instead travel as startup parameters, e.g. in the URL:`,
    `--   postgres://${role}:<password>@host:5432/${database}?options=-c%20statement_timeout%3D5s%20-c%20lock_timeout%3D1s%20-c%20idle_in_transaction_session_timeout%3D10s%20-c%20default_transaction_read_only%3Don%20-c%20jit%3Doff`,
    `-- pgpulse's own connections already send them this way (application_name = pgpulse).`,
  ].join("\n");
}
