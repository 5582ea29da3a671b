import type { MetricDefinition } from "./types";
import { connections } from "./definitions/connections";
import { dbSize } from "./definitions/db-size";
import { dbStats } from "./definitions/db-stats";
import { server } from "./definitions/server";
import { statActivity } from "./definitions/stat-activity";
import { indexBloat } from "./definitions/index-bloat";
import { indexStats } from "./definitions/index-stats";
import { slowQueries } from "./definitions/slow-queries";
import { tableStats } from "./definitions/table-stats";
import { replication } from "./definitions/replication";
import { standbyStatus } from "./definitions/standby-status";
import { replicationSlots } from "./definitions/replication-slots";
import { wal } from "./definitions/wal";
import { archiver } from "./definitions/archiver";
import { backups } from "./definitions/backups";
import { checkpoints } from "./definitions/checkpoints";
import { vacuumProgress } from "./definitions/vacuum-progress";
import { autovacuumWorkers } from "./definitions/autovacuum-workers";
import { sequences } from "./definitions/sequences";

// Every metric pgpulse collects, one file each in ./definitions, and this list is where they are
// registered: the collector's tasks (lib/collector/definition-tasks.ts), the store's series and
// the cadences the pages judge freshness by all derive from it. Adding a metric is its file and
// one line here.

export const catalog: readonly MetricDefinition[] = [
  server,
  statActivity,
  dbStats,
  dbSize,
  connections,
  tableStats,
  indexStats,
  indexBloat,
  slowQueries,
  replication, standbyStatus,
  replicationSlots, wal, archiver, backups, checkpoints,
  vacuumProgress, autovacuumWorkers, sequences,
];

const byId = new Map(catalog.map((d) => [d.id, d]));

export function getDefinition(id: string): MetricDefinition | undefined {
  return byId.get(id);
}
