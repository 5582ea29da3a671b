import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMetric } from "@/lib/metrics/run";
import { startStandbyPair, type StandbyPair } from "@/test/support/standby";
import { openTestTarget, type TestTarget } from "@/test/support/target";
import { archiver } from "./archiver";
import { checkpoints } from "./checkpoints";
import { replicationSlots, type ReplicationSlotRow } from "./replication-slots";
import { wal, type WalRow } from "./wal";

// The WAL metrics carry no primary/standby requirement: on a standby pg_current_wal_lsn() raises
// an error, so they read the replay position instead and must still answer.

describe("WAL metrics on a streaming standby (PostgreSQL 17)", () => {
  let pair: StandbyPair;
  let standby: TestTarget;
  let primary: TestTarget;

  beforeAll(async () => {
    pair = await startStandbyPair();
    standby = await openTestTarget(pair.standby.url());
    primary = await openTestTarget(pair.primary.url());
  }, 90_000);

  afterAll(async () => {
    await standby?.end();
    await primary?.end();
    await pair?.close();
  });

  it("the standby answers with its replay position; the primary sees the standby's slot in use", async () => {
    const replayed = async () => {
      const c = new pg.Client({ connectionString: pair.standby.url() });
      await c.connect();
      try {
        return Number((await c.query("SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0') AS v")).rows[0].v);
      } finally {
        await c.end();
      }
    };
    const before = await replayed();
    const res = await runMetric(standby.pool, wal, standby.ctx.caps, "t");
    const after = await replayed();
    const r = res.status === "ok" ? (res.rows[0] as WalRow) : null;
    expect(r?.in_recovery).toBe(true);
    expect(r?.lsn_bytes).toBeGreaterThanOrEqual(before);
    expect(r?.lsn_bytes).toBeLessThanOrEqual(after);
    for (const def of [replicationSlots, archiver, checkpoints]) {
      const out = await runMetric(standby.pool, def, standby.ctx.caps, "t");
      expect({ id: def.id, status: out.status }).toEqual({ id: def.id, status: "ok" });
    }

    const slots = await runMetric(primary.pool, replicationSlots, primary.ctx.caps, "t");
    const rows = slots.status === "ok" ? (slots.rows as ReplicationSlotRow[]) : [];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ slot_type: "physical", active: true, wal_status: "reserved", inactive_since: null });
    expect(rows[0].retained_bytes).toBeGreaterThanOrEqual(0);
  });
});
