import { z } from "zod";
import { defineMetric } from "../define";

// Autovacuum workers in use against autovacuum_max_workers. All busy for long means tables wait
// their turn: dead tuples and xid age grow although autovacuum is on. The worker processes are
// visible in pg_stat_activity to every role (backend_type is hidden only for client sessions of
// other roles without pg_read_all_stats).

const row = z.object({
  workers: z.number().int().nonnegative(),
  max_workers: z.number().int().positive(),
  /** Whether the launcher runs at all (autovacuum = on); workers may still start for wraparound. */
  autovacuum_on: z.boolean(),
});

export type AutovacuumWorkersRow = z.infer<typeof row>;

export const autovacuumWorkers = defineMetric<AutovacuumWorkersRow>({
  id: "autovacuum_workers",
  description: "Autovacuum workers in use against autovacuum_max_workers",
  scope: "cluster",
  lane: "live",
  intervalMs: 15_000,
  timeoutMs: 2_000,
  sql: {
    130000: `/* pgpulse */
SELECT (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'autovacuum worker') AS workers,
       current_setting('autovacuum_max_workers')::int AS max_workers,
       current_setting('autovacuum')::bool AS autovacuum_on`,
  },
  row,
  labels: [],
  counters: [],
  gauges: ["workers", "max_workers"],
  exposed: true,
});
