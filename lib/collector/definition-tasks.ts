import "server-only";
import { toDbError } from "@/lib/db/errors";
import { connections } from "@/lib/metrics/definitions/connections";
import { dbSize } from "@/lib/metrics/definitions/db-size";
import { dbStats } from "@/lib/metrics/definitions/db-stats";
import { statActivity } from "@/lib/metrics/definitions/stat-activity";
import { runMetric } from "@/lib/metrics/run";
import type { MetricDefinition, MetricResult } from "@/lib/metrics/types";
import type { CollectorTask } from "./types";

/** A collection task that runs one metric definition in its own autocommit statement. */
export function taskFromDefinition<R extends Record<string, unknown>>(
  def: MetricDefinition<R>,
  lane: CollectorTask["lane"] = "bulk",
): CollectorTask {
  const erased = def as unknown as MetricDefinition;
  return {
    id: def.id,
    intervalMs: def.intervalMs,
    timeoutMs: def.timeoutMs,
    lane,
    run: (ctx) => runMetric(ctx.pool, erased, ctx.caps, ctx.targetId, ctx.now),
  };
}

/**
 * The live groups (catalog and stats views only, never waiting on a lock) share the live
 * connection; database sizes walk the disk and take the bulk one.
 */
export function defaultTasks(): CollectorTask[] {
  return [
    taskFromDefinition(statActivity, "live"),
    taskFromDefinition(connections, "live"),
    taskFromDefinition(dbStats, "live"),
    taskFromDefinition(dbSize, "bulk"),
  ];
}

/** A failure that says the connection, not the query, is the problem: re-check the target. */
export function isConnectivityFailure(result: MetricResult): boolean {
  if (result.status !== "error") return false;
  if (result.code === WATCHDOG_CODE) return true;
  const kind = toDbError({ code: result.code, message: result.error }).kind;
  return kind === "connection" || kind === "terminated";
}

/** Code of the error result produced when a run outlives its timeout plus a margin. */
export const WATCHDOG_CODE = "PGPULSE_WATCHDOG";
