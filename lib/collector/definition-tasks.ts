import "server-only";
import { toDbError } from "@/lib/db/errors";
import { catalog } from "@/lib/metrics/catalog";
import { server } from "@/lib/metrics/definitions/server";
import { runMetric } from "@/lib/metrics/run";
import type { MetricDefinition, MetricResult } from "@/lib/metrics/types";
import type { CollectorTask } from "./types";

/**
 * The collector's tasks: one per definition of the list (the catalog unless a test passes its
 * own), except `server`, which the collector runs itself as its probe. Task factories are
 * called here, so call this once per target.
 */
export function catalogTasks(definitions: readonly MetricDefinition[] = catalog): CollectorTask[] {
  return definitions.filter((d) => d.id !== server.id).map(taskFromDefinition);
}

/** A definition's task: its factory's, else one autocommit runMetric per tick. */
export function taskFromDefinition(def: MetricDefinition): CollectorTask {
  const schedule = { id: def.id, intervalMs: def.intervalMs, lane: def.lane, scope: def.scope };
  // A factory's run can be several statements, each under its own timeout: it bounds the whole
  // run itself, or leaves it to the collector's default.
  if (def.task) return { ...schedule, ...def.task() };
  return { ...schedule, timeoutMs: def.timeoutMs, run: (ctx) => runMetric(ctx.pool, def, ctx.caps, ctx.targetId, ctx.now) };
}

/** A failure that says the connection, not the query, is the problem: re-check the target. */
export function isConnectivityFailure(result: MetricResult): boolean {
  if (result.status !== "error") return false;
  if (result.code === WATCHDOG_CODE) return true;
  const kind = toDbError({ code: result.code, message: result.error }).kind;
  return kind === "connection" || kind === "terminated";
}

/** The server ended the session (pg_terminate_backend, shutdown): it was reachable a moment ago. */
export function isSessionTerminated(result: MetricResult): boolean {
  return result.status === "error" && toDbError({ code: result.code, message: result.error }).kind === "terminated";
}

/** Code of the error result produced when a run outlives its timeout plus a margin. */
export const WATCHDOG_CODE = "PGPULSE_WATCHDOG";
