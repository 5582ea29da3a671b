import type { Observation, Rule } from "../types";
import { epochMs, num, str, type Row } from "./values";

/** Below this many tuples a high dead share is a handful of rows: not worth a page. */
export const VACUUM_MIN_TUPLES = 10_000;

// table_stats rows → one observation per table with more than VACUUM_MIN_TUPLES tuples and no
// VACUUM or autovacuum within rule.windowSeconds: the dead share as a percent. A partitioned
// parent is never vacuumed itself (its partitions are), so only leaves and plain tables count.
// A table vacuumed recently is left out: vacuum is doing its job, and an open alert resolves.
export function vacuumBehindObservations(rows: Row[], rule: Rule, ctx: { now: number }): Observation[] {
  const since = ctx.now - rule.windowSeconds * 1000;
  return rows.flatMap((r) => {
    const schema = str(r.schemaname);
    const table = str(r.relname);
    if (!schema || !table || r.is_partitioned === true) return [];
    const live = num(r.n_live_tup);
    const dead = num(r.n_dead_tup);
    if (live === null || dead === null || live + dead <= VACUUM_MIN_TUPLES) return [];
    const last = Math.max(epochMs(r.last_vacuum) ?? -Infinity, epochMs(r.last_autovacuum) ?? -Infinity);
    if (last >= since) return [];
    const ratio = num(r.dead_ratio);
    return [
      {
        objectKey: `table:${schema}.${table}`,
        value: ratio === null ? null : ratio * 100,
        labels: { schema, table },
        details: { deadTuples: dead, liveTuples: live, lastVacuum: r.last_vacuum ?? null, lastAutovacuum: r.last_autovacuum ?? null },
      },
    ];
  });
}
