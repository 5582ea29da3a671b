import "server-only";
import type { CollectorTask, TaskContext } from "@/lib/collector/types";
import { tableStats, tableStatsFor } from "@/lib/metrics/definitions/table-stats";
import { runMetric } from "@/lib/metrics/run";
import type { MetricDefinition, MetricResult } from "@/lib/metrics/types";

// table_stats reads the application's performance_metrics view when the target has it; which
// SQL to use depends on the capabilities of the moment, so it is chosen at each run.
export function createTableStatsTask(): CollectorTask {
  return {
    id: tableStats.id,
    intervalMs: tableStats.intervalMs,
    run(ctx: TaskContext): Promise<MetricResult> {
      return runMetric(ctx.pool, tableStatsFor(ctx.caps) as unknown as MetricDefinition, ctx.caps, ctx.targetId, ctx.now);
    },
  };
}
