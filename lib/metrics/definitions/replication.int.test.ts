import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMetric } from "@/lib/metrics/run";
import type { MetricDefinition } from "@/lib/metrics/types";
import { SUPPORTED_MAJORS } from "@/test/db";
import { STANDBY_APP, startStandbyPair, type StandbyPair } from "@/test/support/standby";
import { openTestTarget, type TestTarget } from "@/test/support/target";
import { replication, type ReplicationRow } from "./replication";
import { standbyStatus, type StandbyStatusRow } from "./standby-status";

// Both replication metrics against a real streaming standby of a primary of every supported major
// (test/support/standby.ts), one pair at a time. The tests of a major share its pair and run in
// order: the last one pauses and resumes replay.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function rowsOf<R>(t: TestTarget, def: MetricDefinition): Promise<R[]> {
  const res = await runMetric(t.pool, def, t.ctx.caps, "t");
  if (res.status !== "ok") throw new Error(`${def.id}: ${res.status === "error" ? res.error : res.reason}`);
  return res.rows as R[];
}

describe.each(SUPPORTED_MAJORS)("replication on a streaming standby of PostgreSQL %i", (major) => {
  let pair: StandbyPair;
  let primary: TestTarget;
  let standby: TestTarget;
  let admin: pg.Pool;
  let standbyAdmin: pg.Pool;

  const currentLsn = async () => (await admin.query("SELECT pg_current_wal_lsn()::text AS l")).rows[0].l as string;
  const diff = async (a: string, b: string) => Number((await admin.query("SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn) AS d", [a, b])).rows[0].d);
  const status = async () => (await rowsOf<StandbyStatusRow>(standby, standbyStatus))[0];
  const ours = async () => (await rowsOf<ReplicationRow>(primary, replication)).find((r) => r.application_name === STANDBY_APP);

  beforeAll(async () => {
    pair = await startStandbyPair(major);
    admin = new pg.Pool({ connectionString: pair.primary.url(), max: 1 });
    standbyAdmin = new pg.Pool({ connectionString: pair.standby.url(), max: 1 });
    // Pool.end() does not wait for its clients' goodbyes: a server stopped right after may still
    // terminate one, and an idle client's error is re-emitted by its pool.
    for (const p of [admin, standbyAdmin]) p.on("error", () => {});
    await admin.query("CREATE TABLE ticks (id serial PRIMARY KEY, at timestamptz DEFAULT now())");
    primary = await openTestTarget(pair.primary.url());
    standby = await openTestTarget(pair.standby.url());
  }, 90_000);

  afterAll(async () => {
    await standbyAdmin?.query("SELECT pg_wal_replay_resume()").catch(() => {});
    await Promise.allSettled([primary?.end(), standby?.end(), admin?.end(), standbyAdmin?.end()]);
    await pair?.close();
  });

  it("probes the primary as primary and the standby as standby; each side's metric is unavailable on the other", async () => {
    expect(primary.ctx.caps.role).toBe("primary");
    expect(standby.ctx.caps.role).toBe("standby");
    expect(await runMetric(standby.pool, replication, standby.ctx.caps, "t")).toMatchObject({ status: "unavailable", reason: "primary only" });
    expect(await runMetric(primary.pool, standbyStatus, primary.ctx.caps, "t")).toMatchObject({ status: "unavailable", reason: "standby only" });
  });

  it("replication lists the standby with its positions, and bytes behind bracketed by pg_wal_lsn_diff before and after", async () => {
    await admin.query("INSERT INTO ticks DEFAULT VALUES");
    const before = await currentLsn();
    const row = await ours();
    const after = await currentLsn();
    expect(row).toMatchObject({ client_addr: "127.0.0.1", state: "streaming", sync_state: "async" });
    for (const k of ["sent", "write", "flush", "replay"] as const) {
      const lsn = row![`${k}_lsn`];
      const behind = row![`${k}_bytes_behind`];
      expect(lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      expect(behind).toBeGreaterThanOrEqual(0);
      // The metric's own pg_current_wal_lsn() lies between the two read around it.
      expect(behind).toBeGreaterThanOrEqual(await diff(before, lsn!));
      expect(behind).toBeLessThanOrEqual(await diff(after, lsn!));
    }
    // Positions only move forward along the pipeline: sent ≥ write ≥ flush ≥ replay.
    expect(row!.sent_bytes_behind!).toBeLessThanOrEqual(row!.write_bytes_behind!);
    expect(row!.write_bytes_behind!).toBeLessThanOrEqual(row!.flush_bytes_behind!);
    expect(row!.flush_bytes_behind!).toBeLessThanOrEqual(row!.replay_bytes_behind!);
  });

  it("standby_status on a caught-up standby: delay 0, streaming from the primary, no conflicts", async () => {
    await admin.query("INSERT INTO ticks DEFAULT VALUES");
    const written = await currentLsn();
    // WAL the primary writes on its own (running-xacts records, checkpoints) can arrive between
    // two reads: wait for a sample with nothing pending past our write.
    await expect
      .poll(async () => {
        const s = await status();
        return s.receive_lsn === s.replay_lsn && (await diff(s.replay_lsn!, written)) >= 0 ? s.replay_delay_seconds : "pending";
      }, { timeout: 15_000, interval: 200 })
      .toBe(0);
    const s = await status();
    expect(s).toMatchObject({
      replay_paused: false,
      receiver_status: "streaming",
      sender_host: "127.0.0.1",
      sender_port: pair.primary.port,
      confl_tablespace: 0,
      confl_lock: 0,
      confl_snapshot: 0,
      confl_bufferpin: 0,
      confl_deadlock: 0,
      // Logical decoding on a standby, and its conflict counter, arrived in 16.
      confl_active_logicalslot: major >= 16 ? 0 : null,
    });
    expect(Date.now() - s.last_msg_receipt_time!.getTime()).toBeLessThan(30_000);
  });

  it("standby_status while replay is paused: paused, delay > 0 and growing, bytes pending; replication sees the replay gap", async () => {
    await admin.query("INSERT INTO ticks DEFAULT VALUES");
    await expect.poll(async () => (await status()).replay_delay_seconds, { timeout: 15_000, interval: 200 }).toBe(0);
    await standbyAdmin.query("SELECT pg_wal_replay_pause()");
    await admin.query("INSERT INTO ticks DEFAULT VALUES");
    const written = await currentLsn();
    // Received (streaming goes on) but not replayed.
    await expect.poll(async () => {
      const s = await status();
      return s.receive_lsn !== null && (await diff(s.receive_lsn, written)) >= 0;
    }, { timeout: 15_000, interval: 200 }).toBe(true);
    const first = await status();
    expect(first.replay_paused).toBe(true);
    expect(first.replay_bytes_pending).toBeGreaterThan(0);
    expect(first.replay_delay_seconds).toBeGreaterThan(0);
    await sleep(1_000);
    const second = await status();
    expect(second.replay_delay_seconds! - first.replay_delay_seconds!).toBeGreaterThanOrEqual(0.9);
    await expect.poll(async () => (await ours())?.replay_bytes_behind ?? 0, { timeout: 15_000, interval: 200 }).toBeGreaterThan(0);

    await standbyAdmin.query("SELECT pg_wal_replay_resume()");
    await expect.poll(async () => (await status()).replay_delay_seconds, { timeout: 15_000, interval: 200 }).toBe(0);
    expect((await status()).replay_paused).toBe(false);
  });
});
