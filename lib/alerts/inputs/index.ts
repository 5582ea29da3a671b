import type { Observation, Rule, RuleId } from "../types";
import { connectionSaturationObservations } from "./connection-saturation";
import { indexBloatObservations } from "./index-bloat";
import { blockedSessionsObservations, idleInTransactionObservations, longTransactionObservations } from "./sessions";
import { slowQueryObservations } from "./slow-query";
import { tableSizeObservations } from "./table-size";
import { targetDownObservations } from "./target-down";
import { archiveFailingWindows } from "./archiver";
import { archiveStaleInput } from "./archive-stale";
import { checkpointsRequestedWindows } from "./checkpoints";
import { createCacheWindows, xidWraparoundObservations } from "./db-stats";
import { backupStaleObservations } from "./backups";
import { replicationLagObservations, replicationSlotObservations } from "./replication";
import { sequenceExhaustionObservations } from "./sequences";
import { standbyDownObservations } from "./standby";
import { vacuumBehindObservations } from "./vacuum";
import type { Row } from "./values";
import type { SampleWindows } from "./windows";

// Which metric feeds which rule. Rules on counters (cache_hit_ratio, archive_failing,
// checkpoints_requested) need a window of samples, and a rule on two metrics (archive_stale:
// wal and archiver) needs what each last said: createWindowedInputs, fed by the engine with
// every result of every metric listed for the rule. The others map one result's rows to
// observations.

/** `now`: when the rows were read; `metric`: which metric they come from (a rule may have two). */
export interface ExtractContext {
  now: number;
  metric: string;
}

export type Extract = (rows: Row[], rule: Rule, ctx: ExtractContext) => Observation[];

export const RULES_BY_METRIC: Record<string, RuleId[]> = {
  up: ["target_down"],
  db_stats: ["cache_hit_ratio", "xid_wraparound"],
  connections: ["connection_saturation"],
  stat_activity: ["idle_in_transaction", "long_transaction", "blocked_sessions"],
  table_stats: ["table_size", "vacuum_behind"],
  index_bloat: ["index_bloat"],
  slow_queries: ["slow_query"],
  sequences: ["sequence_exhaustion"],
  replication_slots: ["replication_slot_inactive"],
  backups: ["backup_stale"],
  // A primary reports per standby, a standby its own replay delay; a target is one or the other.
  replication: ["replication_lag"],
  standby_status: ["replication_lag", "standby_down"],
  archiver: ["archive_failing", "archive_stale"],
  wal: ["archive_stale"],
  checkpoints: ["checkpoints_requested"],
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
  sequence_exhaustion: sequenceExhaustionObservations,
  replication_slot_inactive: replicationSlotObservations,
  backup_stale: backupStaleObservations,
  vacuum_behind: vacuumBehindObservations,
  replication_lag: replicationLagObservations,
  standby_down: standbyDownObservations,
};

/** The rules fed by a window of samples: fresh buffers for each engine. */
export function createWindowedInputs(): Partial<Record<RuleId, SampleWindows>> {
  return {
    cache_hit_ratio: createCacheWindows(),
    archive_failing: archiveFailingWindows(),
    archive_stale: archiveStaleInput(),
    checkpoints_requested: checkpointsRequestedWindows(),
  };
}
