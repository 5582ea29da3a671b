import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probe } from "@/lib/collector/probe";
import type { Capabilities } from "@/lib/collector/types";
import { createTargetPool } from "@/lib/db/pool";
import { pickSql, runMetric } from "@/lib/metrics/run";
import { createTestDatabase, SUPPORTED_MAJORS, type TestDatabase } from "@/test/db";
import { replication } from "./replication";
import { standbyStatus } from "./standby-status";

// The harness's servers of every major are plain primaries: the role probe must say so, the
// primary-only metric must run (no standby: no rows), the standby-only one must be skipped.
// standby_status cannot execute on a primary (pg_is_wal_replay_paused() raises outside recovery),
// so its SQL is planned with EXPLAIN, which resolves every column and function without calling them.

describe.each(SUPPORTED_MAJORS)("replication role on PostgreSQL %i", (major) => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let caps: Capabilities;

  beforeAll(async () => {
    db = await createTestDatabase(major);
    pool = createTargetPool({ url: db.url, max: 1 });
    const out = await probe(pool, "t", () => new Date());
    if (!out.caps) throw new Error(`probe failed: ${JSON.stringify(out.result)}`);
    caps = out.caps;
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it("probes a server out of recovery as a primary", () => {
    expect(caps.role).toBe("primary");
  });

  it("runs replication (no standbys: no rows) and skips standby_status as standby only", async () => {
    const rep = await runMetric(pool, replication, caps, "t");
    expect(rep).toMatchObject({ status: "ok", rows: [] });
    expect(await runMetric(pool, standbyStatus, caps, "t")).toMatchObject({ status: "unavailable", reason: "standby only" });
  });

  it("plans the standby_status SQL of this version", async () => {
    const sql = pickSql(standbyStatus, caps.serverVersionNum)!;
    const { rows } = await pool.query(`EXPLAIN ${sql}`);
    expect(rows.length).toBeGreaterThan(0);
    await expect(pool.query(sql)).rejects.toThrow(/recovery is not in progress/);
  });
});
