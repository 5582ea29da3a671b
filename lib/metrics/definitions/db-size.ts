import { z } from "zod";
import { defineMetric } from "../define";

// Database sizes walk every file of each database: slow on big clusters, so a slow cadence and
// a timeout of its own. pg_database_size needs CONNECT on the database or pg_read_all_stats;
// databases we may not size are skipped rather than failing the whole metric.

const row = z.object({
  datname: z.string(),
  bytes: z.number().int().nonnegative(),
});

export type DbSizeRow = z.infer<typeof row>;

export const dbSize = defineMetric<DbSizeRow>({
  id: "db_size",
  description: "Size on disk of each connectable database",
  scope: "cluster",
  lane: "bulk",
  intervalMs: 5 * 60_000,
  timeoutMs: 20_000,
  sql: {
    130000: `/* pgpulse */
SELECT d.datname::text AS datname, pg_database_size(d.oid) AS bytes
FROM pg_database d
WHERE d.datallowconn AND NOT d.datistemplate
  AND (has_database_privilege(d.oid, 'CONNECT') OR pg_has_role('pg_read_all_stats', 'USAGE'))
ORDER BY d.datname`,
  },
  row,
  labels: ["datname"],
  counters: [],
  gauges: ["bytes"],
  exposed: true,
});
