import "server-only";
import type pg from "pg";
import { thresholdsSchema, type Thresholds } from "@/lib/config/schema";
import type { Capabilities, TaskContext } from "@/lib/collector/types";
import { createTargetPool } from "@/lib/db/pool";
import { capabilitiesFrom, server } from "@/lib/metrics/definitions/server";

// For integration tests of the tasks: the collector side of a target as the engine sets it up
// (read-only monitoring pool, capabilities from the `server` probe).

export interface TestTarget {
  pool: pg.Pool;
  ctx: TaskContext;
  /** Re-reads capabilities after the test created an extension, a view or a function. */
  refresh(): Promise<Capabilities>;
  end(): Promise<void>;
}

export async function openTestTarget(url: string, thresholds: Partial<Thresholds> = {}): Promise<TestTarget> {
  const pool = createTargetPool({ url, statementTimeoutMs: 20_000 });
  const probe = async () => capabilitiesFrom((await pool.query(server.sql[130000])).rows);
  const ctx: TaskContext = {
    pool,
    caps: await probe(),
    targetId: "test",
    thresholds: thresholdsSchema.parse(thresholds),
    now: () => new Date(),
  };
  return {
    pool,
    ctx,
    async refresh() {
      ctx.caps = await probe();
      return ctx.caps;
    },
    end: () => pool.end(),
  };
}
