import "server-only";
import type { Pool } from "pg";
import type { Capabilities } from "@/lib/collector/types";
import { toDbError } from "@/lib/db/errors";
import { ownPidsOn, withoutOwnSessions } from "@/lib/db/own-sessions";
import { many } from "@/lib/db/query";
import { withStatementTimeout } from "@/lib/db/statement-timeout";
import type { MetricDefinition, MetricResult } from "./types";

/** The SQL for the nearest lower (or equal) minimum version key; null when the server is older. */
export function pickSql(def: MetricDefinition, serverVersionNum: number): string | null {
  const keys = Object.keys(def.sql)
    .map(Number)
    .filter((k) => k <= serverVersionNum)
    .sort((a, b) => b - a);
  return keys.length ? def.sql[keys[0]] : null;
}

// Objects that setup alone does not make useful say what else it takes.
const OBJECT_FIXES: Record<string, string> = {
  backup_log: "run npm run setup to install backup_log, and have the backup job insert a row per run",
};

/** Why a metric cannot run on this target, or null when it can. */
export function unavailableReason(def: MetricDefinition, caps: Capabilities): string | null {
  if (pickSql(def, caps.serverVersionNum) === null) return `needs a newer server than ${caps.serverVersion}`;
  // Not a fault to fix: the metric belongs to the other side of replication (and comes back after a failover).
  const role = def.requires?.role;
  if (role && role !== caps.role) return `${role} only`;
  for (const ext of def.requires?.extensions ?? []) {
    if (!caps.extensions[ext]) return `extension ${ext} is not installed: run setup (CREATE EXTENSION ${ext})`;
  }
  for (const obj of def.requires?.objects ?? []) {
    if (!caps.objects[obj]) return `${obj} does not exist in ${caps.database}: ${OBJECT_FIXES[obj] ?? "run setup"}`;
  }
  for (const role of def.requires?.roles ?? []) {
    if (!caps.isSuperuser && !caps.roles.includes(role)) return `the monitoring role lacks ${role}: GRANT pg_monitor TO ${caps.user}`;
  }
  return null;
}

/**
 * Runs one metric in its own autocommit statement (stats views cache within a transaction on
 * PG 15+), with the metric's own statement timeout (set on the connection only when it changes).
 */
export async function runMetric(
  pool: Pool,
  def: MetricDefinition,
  caps: Capabilities,
  targetId: string,
  now: () => Date = () => new Date(),
  params: unknown[] = [],
): Promise<MetricResult> {
  const ts = now();
  const reason = unavailableReason(def, caps);
  if (reason) return { status: "unavailable", metric: def.id, targetId, ts, reason };
  const sql = pickSql(def, caps.serverVersionNum)!;
  const started = performance.now();
  try {
    const rows = await withStatementTimeout(pool, def.timeoutMs, async (client) => {
      const read: Record<string, unknown>[] = await many(client, def.row, sql, params, def.id);
      return def.hidesOwnSessions ? withoutOwnSessions(read, await ownPidsOn(client)) : read;
    });
    return { status: "ok", metric: def.id, targetId, ts, durationMs: performance.now() - started, rows };
  } catch (e) {
    const err = toDbError(e);
    return { status: "error", metric: def.id, targetId, ts, durationMs: performance.now() - started, error: err.message, code: err.code };
  }
}
