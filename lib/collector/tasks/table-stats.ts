import "server-only";
import type { TaskContext, TaskRun } from "@/lib/collector/types";
import type { MetricResult } from "@/lib/metrics/types";
import { TABLE_SIZE_RUNS, tableStatsFor, type TableStatsRow } from "@/lib/metrics/definitions/table-stats";
import { runMetric } from "@/lib/metrics/run";

// table_stats reads the application's performance_metrics view when the target has it; which
// SQL to use depends on the capabilities of the moment, so it is chosen at each run.
//
// Sizes are the dear part (a file-system look-up per fork of every table, index and TOAST
// table) and are drawn at the row history's resolution, so they are read at every
// TABLE_SIZE_RUNS-th run while scans, tuples and vacuum state keep every run. Between two sized
// runs each row carries the sizes last read for its table. A table with no sizes yet (new,
// renamed) or a lock seen at a run makes the next run a sized one; a relation locked now is
// shown locked, without sizes, at every run.

type Sizes = Pick<TableStatsRow, "heap_bytes" | "indexes_bytes" | "toast_bytes" | "total_bytes" | "size_unavailable">;

export interface TableStatsTaskOptions {
  /** Sizes are read at every this many runs (default TABLE_SIZE_RUNS; 1: at every run). */
  sizeRuns?: number;
}

const keyOf = (r: TableStatsRow) => `${r.schemaname}\u0000${r.relname}`;
const sizesOf = (r: TableStatsRow): Sizes => ({
  heap_bytes: r.heap_bytes, indexes_bytes: r.indexes_bytes, toast_bytes: r.toast_bytes,
  total_bytes: r.total_bytes, size_unavailable: r.size_unavailable,
});

export function createTableStatsTask(opts: TableStatsTaskOptions = {}): TaskRun {
  const sizeRuns = Math.max(1, opts.sizeRuns ?? TABLE_SIZE_RUNS);
  // Per target: the sizes of the last sized run, and the runs since it that reused them.
  const last = new Map<string, { reused: number; sizes: Map<string, Sizes>; anyLocked: boolean }>();

  async function run(ctx: TaskContext): Promise<MetricResult> {
    const prev = last.get(ctx.targetId);
    const due = !prev || prev.anyLocked || prev.reused + 1 >= sizeRuns;
    const result = await runMetric(ctx.pool, tableStatsFor(ctx.caps), ctx.caps, ctx.targetId, ctx.now, [due]);
    if (result.status !== "ok") return result;
    const rows = result.rows as TableStatsRow[];
    if (due) {
      last.set(ctx.targetId, {
        reused: 0,
        sizes: new Map(rows.map((r) => [keyOf(r), sizesOf(r)])),
        anyLocked: rows.some((r) => r.size_unavailable !== null),
      });
      return result;
    }
    // A table the last sized run did not see: size everything now rather than show no size.
    if (rows.some((r) => !prev!.sizes.has(keyOf(r)))) {
      last.delete(ctx.targetId);
      return run(ctx);
    }
    prev!.reused++;
    // Locked now: shown as such (no sizes), and the next run sizes everything again.
    if (rows.some((r) => r.size_unavailable !== null)) prev!.anyLocked = true;
    return { ...result, rows: rows.map((r) => (r.size_unavailable !== null ? r : { ...r, ...prev!.sizes.get(keyOf(r))! })) };
  }
  return { run };
}
