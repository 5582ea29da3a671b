import pg from "pg";
import { describe, expect, it } from "vitest";
import { runMetric } from "@/lib/metrics/run";
import { SUPPORTED_MAJORS } from "@/test/db";
import { useMetricTestTarget } from "@/test/support/metric-target";
import type { TestTarget } from "@/test/support/target";
import { checkpoints, type CheckpointsRow } from "./checkpoints";

// pg_stat_bgwriter (13–16) and pg_stat_checkpointer + the reduced pg_stat_bgwriter (17+) read as
// one row shape; a CHECKPOINT must show as a requested checkpoint in either.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(SUPPORTED_MAJORS)("checkpoints on PostgreSQL %i", (major) => {
  let t: TestTarget;
  let admin: pg.Client;

  async function read(): Promise<CheckpointsRow> {
    const res = await runMetric(t.pool, checkpoints, t.ctx.caps, "t");
    if (res.status !== "ok") throw new Error(res.status === "error" ? res.error : res.reason);
    return res.rows[0] as CheckpointsRow;
  }

  useMetricTestTarget(major, null, (fx) => ({ admin, target: t } = fx));

  it("a CHECKPOINT increments requested; buffers_backend is null from 17 on", async () => {
    const before = await read();
    await admin.query("CHECKPOINT");
    // The checkpointer publishes its counters after the checkpoint ends: poll, generously.
    let after = await read();
    for (let i = 0; i < 60 && after.requested <= before.requested; i++) {
      await sleep(250);
      after = await read();
    }
    expect(after.requested - before.requested).toBeGreaterThanOrEqual(1);
    expect(after.timed).toBeGreaterThanOrEqual(before.timed);
    expect(after.buffers_alloc).toBeGreaterThan(0);
    // The reset marker stored as a gauge is the checkpointer's stats_reset, in epoch seconds.
    if (after.checkpointer_stats_reset) expect(after.checkpointer_reset_epoch! * 1000).toBeCloseTo(after.checkpointer_stats_reset.getTime(), -1);
    else expect(after.checkpointer_reset_epoch).toBeNull();
    if (major >= 17) {
      expect([after.buffers_backend, after.buffers_backend_fsync]).toEqual([null, null]);
    } else {
      expect(after.buffers_backend).toEqual(expect.any(Number));
      expect(after.checkpointer_stats_reset).toEqual(after.bgwriter_stats_reset);
    }
  });
});
