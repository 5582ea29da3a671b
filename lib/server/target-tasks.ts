import "server-only";
import { taskFromDefinition } from "@/lib/collector/definition-tasks";
import { taskFactories } from "@/lib/collector/tasks";
import type { CollectorTask } from "@/lib/collector/types";
import { indexStats } from "@/lib/metrics/definitions/index-stats";

/**
 * The tasks each target runs besides the collector's built-in live groups: tables, indexes,
 * bloat and slow queries. Stateful factories are called once per target.
 */
export function targetTasks(): CollectorTask[] {
  return [taskFromDefinition(indexStats, "bulk"), ...Object.values(taskFactories).map((make) => make())];
}
