import "server-only";
import type pg from "pg";
import { thresholdsSchema } from "@/lib/config/schema";
import { defaultTasks } from "@/lib/collector/definition-tasks";
import { probe } from "@/lib/collector/probe";
import type { CollectorTask, TaskContext } from "@/lib/collector/types";
import { createTargetPool } from "@/lib/db/pool";
import { server } from "@/lib/metrics/definitions/server";
import { targetTasks } from "@/lib/server/target-tasks";

// Exactly what a collector runs for one target: its built-in groups, the target tasks the
// server adds (a target task with a built-in id replaces it, as in createCollector), and the
// `server` probe, which the collector schedules itself every minute.

export interface BenchTarget {
  ctx: TaskContext;
  pool: pg.Pool;
  end(): Promise<void>;
}

/** The `server` probe as a task; a successful run refreshes the context's capabilities. */
function probeTask(): CollectorTask {
  return {
    id: "server",
    intervalMs: server.intervalMs,
    timeoutMs: server.timeoutMs,
    lane: "live",
    async run(ctx) {
      const o = await probe(ctx.pool, ctx.targetId, ctx.now);
      if (o.caps) ctx.caps = o.caps;
      return o.result;
    },
  };
}

export function collectorTasks(): CollectorTask[] {
  const byId = new Map<string, CollectorTask>();
  for (const t of [probeTask(), ...defaultTasks(), ...targetTasks()]) byId.set(t.id, t);
  return [...byId.values()];
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
