import "server-only";
import type { CollectorTask } from "@/lib/collector/types";
import { createIndexBloatTask } from "./index-bloat";
import { createSlowQueriesTask } from "./slow-queries";
import { createTableStatsTask } from "./table-stats";

// Metrics whose collection needs more than runMetric on the registered definition: the engine
// calls the factory once per target in place of taskFromDefinition for these ids. The
// definitions stay registered (lib/metrics/registry.ts) for their row shape and series.
export const taskFactories: Record<string, () => CollectorTask> = {
  table_stats: createTableStatsTask,
  index_bloat: () => createIndexBloatTask(),
  slow_queries: () => createSlowQueriesTask(),
};
