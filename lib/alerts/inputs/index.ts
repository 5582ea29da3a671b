import type { Observation, Rule, RuleId } from "../types";
import { connectionSaturationObservations } from "./connection-saturation";
import { indexBloatObservations } from "./index-bloat";
import { blockedSessionsObservations, idleInTransactionObservations, longTransactionObservations } from "./sessions";
import { slowQueryObservations } from "./slow-query";
import { tableSizeObservations } from "./table-size";
import { targetDownObservations } from "./target-down";
import { xidWraparoundObservations } from "./db-stats";
import type { Row } from "./values";

// Which metric feeds which rule. cache_hit_ratio is stateful (a window of samples) and handled
// by the engine with createCacheWindows; the others map one result's rows to observations.

export type Extract = (rows: Row[], rule: Rule) => Observation[];

export const RULES_BY_METRIC: Record<string, RuleId[]> = {
  up: ["target_down"],
  db_stats: ["cache_hit_ratio", "xid_wraparound"],
  connections: ["connection_saturation"],
  stat_activity: ["idle_in_transaction", "long_transaction", "blocked_sessions"],
  table_stats: ["table_size"],
  index_bloat: ["index_bloat"],
  slow_queries: ["slow_query"],
};

export const EXTRACTORS: Partial<Record<RuleId, Extract>> = {
  target_down: targetDownObservations,
  xid_wraparound: xidWraparoundObservations,
  connection_saturation: connectionSaturationObservations,
  idle_in_transaction: idleInTransactionObservations,
  long_transaction: longTransactionObservations,
  blocked_sessions: blockedSessionsObservations,
  table_size: tableSizeObservations,
  index_bloat: indexBloatObservations,
  slow_query: slowQueryObservations,
};
