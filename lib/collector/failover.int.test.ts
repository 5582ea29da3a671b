import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { thresholdsSchema } from "@/lib/config/schema";
import { replication } from "@/lib/metrics/definitions/replication";
import { standbyStatus } from "@/lib/metrics/definitions/standby-status";
import { startStandbyPair, type StandbyPair } from "@/test/support/standby";
import { createCollector, type Collector } from "./collector";
import { catalogTasks } from "./definition-tasks";

// A failover without a restart of pgpulse: the collector of the standby's target must see the
// promoted server as a primary from its next probe, and swap which replication metric runs.

const PROBE_MS = 500;

describe("failover (PostgreSQL 17)", () => {
  let pair: StandbyPair;
  let collector: Collector | undefined;

  beforeAll(async () => {
    pair = await startStandbyPair();
  }, 90_000);

  afterAll(async () => {
    await collector?.stop();
    await pair?.close();
  });

  it("a running collector sees the promoted standby as a primary within two probe intervals", async () => {
    collector = createCollector({
      target: { id: "standby", name: "standby", url: pair.standby.url() },
      thresholds: thresholdsSchema.parse({}),
      sinks: [],
      tasks: catalogTasks([replication, standbyStatus]),
      intervals: { server: PROBE_MS, replication: PROBE_MS, standby_status: PROBE_MS },
    });
    collector.start();
    const c = collector;
    await expect.poll(() => c.snapshot().capabilities?.role, { timeout: 10_000 }).toBe("standby");
    await expect.poll(() => c.snapshot().metrics.standby_status?.status, { timeout: 10_000 }).toBe("ok");
    await expect.poll(() => c.snapshot().metrics.replication, { timeout: 10_000 }).toMatchObject({ status: "unavailable", reason: "primary only" });

    const admin = new pg.Client({ connectionString: pair.standby.url() });
    await admin.connect();
    try {
      // pg_promote() waits (up to 60 s) until the server has left recovery.
      expect((await admin.query("SELECT pg_promote() AS done")).rows[0].done).toBe(true);
    } finally {
      await admin.end();
    }
    // Counted from pg_promote()'s return: a probe that ran while it waited may have seen it already.
    const promotedAt = performance.now();
    // Two intervals plus their ±10 % jitter and the probe's own round trips.
    await expect.poll(() => c.snapshot().capabilities?.role, { timeout: 2 * PROBE_MS * 1.1 + 500, interval: 20 }).toBe("primary");
    const flippedMs = performance.now() - promotedAt;
    expect(flippedMs).toBeLessThan(2 * PROBE_MS * 1.1 + 500);
    await expect.poll(() => c.snapshot().metrics.standby_status, { timeout: 5_000 }).toMatchObject({ status: "unavailable", reason: "standby only" });
    // The promoted server has no standby of its own.
    await expect.poll(() => c.snapshot().metrics.replication, { timeout: 5_000 }).toMatchObject({ status: "ok", rows: [] });
    expect(c.snapshot().up).toBe(true);
  });
});
