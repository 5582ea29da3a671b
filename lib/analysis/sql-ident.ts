import { qualified } from "@/lib/db/ident";

// The SQL a DBA would run to fix an index, shown for copying and never executed by pgpulse.

export function reindexSql(schema: string, index: string): string {
  return `REINDEX INDEX CONCURRENTLY ${qualified(schema, index)};`;
}

export function dropIndexSql(schema: string, index: string): string {
  return `DROP INDEX CONCURRENTLY ${qualified(schema, index)};`;
}
