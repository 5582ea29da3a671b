import { quoteIdent } from "@/lib/db/ident";
import { MONITOR_ROLE_SETTINGS } from "./grants";

// The opt-in grants as SQL for an administrator to review or run by hand: what setup's
// --explain-role and --sequences steps do. Default privileges are printed for the role running
// the script; setup itself sets them for every role that owns objects in the schema.

export const DEFAULT_EXPLAIN_ROLE = "pgpulse_explain";

/** One process holds at most one EXPLAIN connection, closed after each use; 4 leaves room. */
export const EXPLAIN_CONNECTION_LIMIT = 4;

/** SELECT on the tables of named schemas (every version), or pg_read_all_data (14+). */
export type ExplainAccess = { schemas: string[] } | "pg_read_all_data";

/** The setup flags that give EXPLAIN a planning role, as refusals and hints print them. */
export const EXPLAIN_SETUP_FLAGS = `--explain-role ${DEFAULT_EXPLAIN_ROLE} --explain-password <password> --explain-schemas <schema>`;

/** The setup flag that lets the monitoring role read sequences' last values. */
export const SEQUENCES_SETUP_FLAG = "--sequences <schema>";

export function explainRoleSql({ role, database, access }: { role: string; database: string; access: ExplainAccess }): string {
  const r = quoteIdent(role);
  const lines = [
    `-- Planning role for EXPLAIN (opt-in): set it as the target's explainUrl. Never a superuser.`,
    `CREATE ROLE ${r} LOGIN PASSWORD '<choose a password>' CONNECTION LIMIT ${EXPLAIN_CONNECTION_LIMIT};`,
    `GRANT CONNECT ON DATABASE ${quoteIdent(database)} TO ${r};`,
    ...MONITOR_ROLE_SETTINGS.map(([k, v]) => `ALTER ROLE ${r} SET ${k} = '${v}';`),
  ];
  if (access === "pg_read_all_data") {
    lines.push(`-- PostgreSQL 14+: reads every table, pg_authid's password hashes included.`, `GRANT pg_read_all_data TO ${r};`);
  } else {
    for (const s of access.schemas.map(quoteIdent)) {
      lines.push(
        `GRANT USAGE ON SCHEMA ${s} TO ${r};`,
        `GRANT SELECT ON ALL TABLES IN SCHEMA ${s} TO ${r};`,
        `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT ON TABLES TO ${r};`,
      );
    }
  }
  return lines.join("\n");
}

export function sequenceGrantsSql({ role, schemas }: { role: string; schemas: readonly string[] }): string {
  const r = quoteIdent(role);
  return [
    `-- Sequences' last values for the monitoring role (opt-in): SELECT reads them, cannot advance them.`,
    ...schemas.flatMap((schema) => {
      const s = quoteIdent(schema);
      return [`GRANT SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${r};`, `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT ON SEQUENCES TO ${r};`];
    }),
  ].join("\n");
}
