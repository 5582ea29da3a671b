import type { MetricResult } from "@/lib/metrics/types";
import { canConfirm } from "./tasks/index-bloat";
import type { Capabilities } from "./types";

// What a half-configured target lacks. The metrics themselves run on what is there (slow
// queries without pg_stat_statements, bloat estimated without pgstattuple, scans from
// pg_stat_user_tables without performance_metrics), so their own status stays "ok"; each
// missing source is reported beside them as `<metric>.<source>`, "unavailable" with the reason
// and the fix, and "ok" again once the fix is in (re-checked at every probe). They travel like
// any result: the collector's snapshot, the store's metric status, the panels' availability.

export function sourceStatuses(caps: Capabilities, targetId: string, ts: Date): MetricResult[] {
  const db = caps.database;
  const user = caps.user;
  const monitor = caps.isSuperuser || caps.roles.includes("pg_read_all_stats");
  const checks: Array<[string, string | null]> = [
    [
      "slow_queries.pg_stat_statements",
      caps.extensions.pg_stat_statements
        ? null
        : `pg_stat_statements is not installed in ${db}: add it to shared_preload_libraries, restart, then CREATE EXTENSION pg_stat_statements (npm run setup prints the steps)`,
    ],
    [
      "slow_queries.slow_query_log",
      caps.objects.slow_query_log ? null : `slow_query_log does not exist in ${db}: create the guidelines' table so the application can log its slow statements (npm run setup)`,
    ],
    [
      "index_bloat.pgstattuple",
      canConfirm(caps)
        ? null
        : caps.extensions.pgstattuple
          ? `${user} lacks pg_stat_scan_tables, so bloat is only estimated: GRANT pg_monitor TO ${user}`
          : `pgstattuple is not installed in ${db}, so bloat is only estimated: CREATE EXTENSION pgstattuple`,
    ],
    [
      "table_stats.performance_metrics",
      caps.objects.performance_metrics ? null : `performance_metrics does not exist in ${db}: scan counters come from pg_stat_user_tables; create the guidelines' view (npm run setup)`,
    ],
    [
      "stat_activity.pg_monitor",
      monitor ? null : `${user} lacks pg_monitor: other users' sessions show <insufficient privilege> and no query text; GRANT pg_monitor TO ${user}`,
    ],
    [
      "table_stats.track_counts",
      caps.settings.track_counts === "off"
        ? `track_counts is off for ${db}: table and database statistics do not accumulate; set track_counts = on (postgresql.conf, or ALTER DATABASE ${db} RESET track_counts) and reload`
        : null,
    ],
  ];
  return checks.map(([metric, reason]): MetricResult =>
    reason === null ? { status: "ok", metric, targetId, ts, durationMs: 0, rows: [] } : { status: "unavailable", metric, targetId, ts, reason },
  );
}
