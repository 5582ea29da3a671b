import "server-only";
import type pg from "pg";
import { thresholdsSchema } from "@/lib/config/schema";
import { catalogTasks } from "@/lib/collector/definition-tasks";
import { probe } from "@/lib/collector/probe";
import type { CollectorTask, TaskContext } from "@/lib/collector/types";
import { createTargetPool } from "@/lib/db/pool";
import { server } from "@/lib/metrics/definitions/server";

// Exactly what a collector runs for one target: the catalog's tasks, and the `server` probe,
// which the collector schedules itself.

export interface BenchTarget {
  ctx: TaskContext;
  pool: pg.Pool;
  end(): Promise<void>;
}

/** The `server` probe as a task; a successful run refreshes the context's capabilities. */
function probeTask(): CollectorTask {
  return {
    id: server.id,
    intervalMs: server.intervalMs,
    timeoutMs: server.timeoutMs,
    lane: server.lane,
    async run(ctx) {
      const o = await probe(ctx.pool, ctx.targetId, ctx.now);
      if (o.caps) ctx.caps = o.caps;
      return o.result;
    },
  };
}

export function collectorTasks(): CollectorTask[] {
  return [probeTask(), ...catalogTasks()];
}

/** A monitoring pool like the collector's (one connection, read-only session) and its capabilities. */
export async function openTarget(url: string, targetId: string, now: () => Date = () => new Date()): Promise<BenchTarget> {
  const pool = createTargetPool({ url, max: 1 });
  const first = await probe(pool, targetId, now);
  if (!first.caps) {
    await pool.end();
    throw new Error(`${targetId}: probe failed: ${first.result.status === "error" ? first.result.error : first.result.status}`);
  }
  const ctx: TaskContext = { pool, caps: first.caps, targetId, thresholds: thresholdsSchema.parse({}), now };
  return { ctx, pool, end: () => pool.end() };
}
