import "server-only";
import type { TaskContext, TaskRun } from "@/lib/collector/types";
import { tableStatsFor } from "@/lib/metrics/definitions/table-stats";
import { runMetric } from "@/lib/metrics/run";

// table_stats reads the application's performance_metrics view when the target has it; which
// SQL to use depends on the capabilities of the moment, so it is chosen at each run.
export function createTableStatsTask(): TaskRun {
  return { run: (ctx: TaskContext) => runMetric(ctx.pool, tableStatsFor(ctx.caps), ctx.caps, ctx.targetId, ctx.now) };
}
