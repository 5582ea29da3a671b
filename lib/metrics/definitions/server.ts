import { z } from "zod";
import type { Capabilities } from "@/lib/collector/types";
import { defineMetric } from "../define";

// The capability probe: one catalog-only row, cheap enough to double as the connectivity check.
// It runs at connect and every minute, so a CREATE EXTENSION or a GRANT shows up without restart.

const SELECT_COMMON = `
  current_setting('server_version') AS server_version,
  current_setting('server_version_num')::int AS server_version_num,
  pg_postmaster_start_time() AS postmaster_start,
  extract(epoch FROM clock_timestamp() - pg_postmaster_start_time())::float8 AS uptime_seconds,
  current_database()::text AS database,
  current_user::text AS "user",
  coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) AS is_superuser,
  -- Read each minute with the rest: a promoted standby becomes a primary without a restart.
  pg_is_in_recovery() AS in_recovery,
  -- Shared by a primary and its physical standbys, and by nothing else: it links the two when
  -- both are watched. PUBLIC may execute pg_control_system() on 13–18 (measured).
  (SELECT system_identifier::text FROM pg_control_system()) AS system_identifier,
  (SELECT setting::bigint * pg_size_bytes(unit) FROM pg_settings WHERE name = 'shared_buffers') AS shared_buffers_bytes,
  current_setting('max_connections')::int AS max_connections,
  current_setting('superuser_reserved_connections')::int AS superuser_reserved_connections,
  current_setting('track_counts') AS track_counts,
  current_setting('track_activities') AS track_activities,
  current_setting('track_io_timing') AS track_io_timing,
  -- current_setting() shows this one with a unit ("1kB"); pg_settings has the raw bytes.
  (SELECT setting::int FROM pg_settings WHERE name = 'track_activity_query_size') AS track_activity_query_size,
  coalesce((
    SELECT jsonb_agg(jsonb_build_object('name', e.extname, 'version', e.extversion, 'schema', n.nspname) ORDER BY e.extname)
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
  ), '[]'::jsonb) AS extensions,
  -- Roles that change what the collector may see. USAGE, not MEMBER: only inherited
  -- membership grants the privileges we rely on.
  ARRAY(
    SELECT r.rolname::text FROM pg_roles r
    WHERE r.rolname IN ('pg_monitor', 'pg_read_all_stats', 'pg_stat_scan_tables', 'pg_read_all_settings',
                        'pg_signal_backend', 'pg_read_all_data')
      AND pg_has_role(current_user, r.oid, 'USAGE')
    ORDER BY 1
  ) AS roles,
  -- Unqualified names resolve on the session's search_path, as the queries that read them will.
  coalesce((SELECT relkind IN ('v', 'm') FROM pg_class WHERE oid = to_regclass('performance_metrics')), false) AS has_performance_metrics,
  coalesce((SELECT relkind IN ('r', 'p') FROM pg_class WHERE oid = to_regclass('slow_query_log')), false) AS has_slow_query_log,
  coalesce((SELECT relkind IN ('r', 'p') FROM pg_class WHERE oid = to_regclass('backup_log')), false) AS has_backup_log,
  EXISTS (
    SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'pgpulse' AND p.proname = 'column_stats'
  ) AS has_column_stats`;

const row = z.object({
  server_version: z.string(),
  server_version_num: z.number().int(),
  postmaster_start: z.date(),
  uptime_seconds: z.number(),
  database: z.string(),
  user: z.string(),
  is_superuser: z.boolean(),
  in_recovery: z.boolean(),
  system_identifier: z.string().nullable(),
  shared_buffers_bytes: z.number().int().nonnegative(),
  max_connections: z.number().int().positive(),
  superuser_reserved_connections: z.number().int().nonnegative(),
  /** PG 16+; null on older servers (the setting does not exist there). */
  reserved_connections: z.number().int().nonnegative().nullable(),
  track_counts: z.string(),
  track_activities: z.string(),
  track_io_timing: z.string(),
  track_activity_query_size: z.number().int(),
  extensions: z.array(z.object({ name: z.string(), version: z.string(), schema: z.string() })),
  roles: z.array(z.string()),
  has_performance_metrics: z.boolean(),
  has_slow_query_log: z.boolean(),
  has_backup_log: z.boolean(),
  has_column_stats: z.boolean(),
});

export type ServerRow = z.infer<typeof row>;

// The collector runs it itself, as its probe (lib/collector/probe.ts), not as one of its tasks.
export const server = defineMetric<ServerRow>({
  id: "server",
  description: "Server version, uptime, key settings, extensions, monitoring privileges and guideline objects",
  scope: "database",
  lane: "live",
  intervalMs: 60_000,
  timeoutMs: 3_000,
  sql: {
    130000: `/* pgpulse */ SELECT ${SELECT_COMMON},
  NULL::int AS reserved_connections`,
    // reserved_connections (for pg_use_reserved_connections members) arrived in 16.
    160000: `/* pgpulse */ SELECT ${SELECT_COMMON},
  current_setting('reserved_connections')::int AS reserved_connections`,
  },
  row,
  labels: [],
  counters: [],
  gauges: ["server_version_num", "uptime_seconds", "max_connections", "shared_buffers_bytes"],
});

/** The capability map the collector checks requirements against, from the `server` row. */
export function capabilitiesFrom(rows: Record<string, unknown>[], checkedAt: Date = new Date()): Capabilities {
  if (rows.length !== 1) throw new Error(`server: expected one row, got ${rows.length}`);
  const r = row.parse(rows[0]);
  return {
    serverVersionNum: r.server_version_num,
    serverVersion: r.server_version,
    database: r.database,
    user: r.user,
    isSuperuser: r.is_superuser,
    role: r.in_recovery ? "standby" : "primary",
    systemIdentifier: r.system_identifier,
    extensions: Object.fromEntries(r.extensions.map((e) => [e.name, { version: e.version, schema: e.schema }])),
    roles: r.roles,
    objects: {
      performance_metrics: r.has_performance_metrics,
      slow_query_log: r.has_slow_query_log,
      backup_log: r.has_backup_log,
      pgpulse_column_stats: r.has_column_stats,
    },
    settings: {
      max_connections: String(r.max_connections),
      superuser_reserved_connections: String(r.superuser_reserved_connections),
      ...(r.reserved_connections === null ? {} : { reserved_connections: String(r.reserved_connections) }),
      shared_buffers_bytes: String(r.shared_buffers_bytes),
      track_counts: r.track_counts,
      track_activities: r.track_activities,
      track_io_timing: r.track_io_timing,
      track_activity_query_size: String(r.track_activity_query_size),
    },
    checkedAt,
  };
}
