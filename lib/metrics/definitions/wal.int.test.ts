import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Capabilities } from "@/lib/collector/types";
import { runMetric } from "@/lib/metrics/run";
import type { MetricDefinition } from "@/lib/metrics/types";
import { createTestDatabase, SUPPORTED_MAJORS, type TestDatabase } from "@/test/db";
import { openTestTarget, type TestTarget } from "@/test/support/target";
import { replicationSlots, type ReplicationSlotRow } from "./replication-slots";
import { wal, type WalRow } from "./wal";

// WAL position and slot retention measured against the server's own pg_wal_lsn_diff. Other test
// files write WAL on the same server meanwhile, so each comparison is bounded by independent
// readings taken just before and just after the metric.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function rowsOf<R>(t: TestTarget, def: MetricDefinition, caps: Capabilities): Promise<R[]> {
  const res = await runMetric(t.pool, def, caps, "t");
  if (res.status !== "ok") throw new Error(`${def.id}: ${res.status === "error" ? res.error : res.reason}`);
  return res.rows as R[];
}

describe.each(SUPPORTED_MAJORS)("WAL and replication slots on PostgreSQL %i", (major) => {
  let db: TestDatabase;
  let t: TestTarget;
  let admin: pg.Client;
  const slot = `pgpulse_test_${randomBytes(4).toString("hex")}`;

  const lsn = async () => Number((await admin.query("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') AS v")).rows[0].v);
  const writeWal = () => admin.query("INSERT INTO filler SELECT g, repeat('x', 200) FROM generate_series(1, 5000) g");

  beforeAll(async () => {
    db = await createTestDatabase(major);
    t = await openTestTarget(db.url);
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query("CREATE TABLE filler (id int, pad text)");
  });

  afterAll(async () => {
    // A slot left behind would hold WAL on the shared test server for the rest of the run.
    await admin?.query("SELECT pg_drop_replication_slot($1) FROM pg_replication_slots WHERE slot_name = $1", [slot]);
    await admin?.end();
    await t?.end();
    await db?.drop();
  });

  it("wal: lsn_bytes lies between independent readings taken around it; settings in bytes", async () => {
    await writeWal();
    const before = await lsn();
    const [r] = await rowsOf<WalRow>(t, wal, t.ctx.caps);
    const after = await lsn();
    expect(r.lsn_bytes).toBeGreaterThanOrEqual(before);
    expect(r.lsn_bytes).toBeLessThanOrEqual(after);
    expect(r.in_recovery).toBe(false);
    const setting = async (name: string) =>
      Number((await admin.query("SELECT setting::bigint * pg_size_bytes('1' || unit) AS v FROM pg_settings WHERE name = $1", [name])).rows[0].v);
    expect(r.max_wal_size_bytes).toBe(await setting("max_wal_size"));
    expect(r.wal_keep_size_bytes).toBe(await setting("wal_keep_size"));
    // Its unit is plain bytes ("B"), which pg_size_bytes() reads only from 16 on.
    expect(r.wal_segment_size_bytes).toBe(Number((await admin.query("SELECT setting::bigint AS v FROM pg_settings WHERE name = 'wal_segment_size'")).rows[0].v));
    expect(r.wal_segment_size_bytes).toBe(16 * 1024 ** 2);
    if (major < 14) {
      expect([r.wal_records, r.wal_fpi, r.wal_bytes, r.wal_buffers_full]).toEqual([null, null, null, null]);
    } else {
      // 5,000 inserts are at least 5,000 WAL records; pg_stat_wal is flushed with a lag (PG-FACTS).
      let now = r;
      for (let i = 0; i < 40 && (now.wal_records ?? 0) < (r.wal_records ?? 0) + 5000; i++) {
        await writeWal();
        await sleep(500);
        [now] = await rowsOf<WalRow>(t, wal, t.ctx.caps);
      }
      expect(now.wal_records! - r.wal_records!).toBeGreaterThanOrEqual(5000);
      expect(now.wal_bytes!).toBeGreaterThan(r.wal_bytes!);
    }
  });

  it("replication_slots: a reserved physical slot retains what was written since, within the WAL of the reads", async () => {
    await admin.query("SELECT pg_create_physical_replication_slot($1, true)", [slot]);
    await writeWal();
    await writeWal();
    const before = await lsn();
    const rows = await rowsOf<ReplicationSlotRow>(t, replicationSlots, t.ctx.caps);
    const independent = Number((await admin.query(
      "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) AS v FROM pg_replication_slots WHERE slot_name = $1", [slot])).rows[0].v);
    const after = await lsn();
    const r = rows.find((x) => x.slot_name === slot);
    expect(r).toMatchObject({ slot_type: "physical", plugin: null, database: null, temporary: false, active: false, wal_status: "reserved" });
    // Two batches of 5,000 rows are well over 1 MB of WAL.
    expect(r!.retained_bytes).toBeGreaterThan(1_000_000);
    expect(independent - r!.retained_bytes!).toBeGreaterThanOrEqual(0);
    expect(independent - r!.retained_bytes!).toBeLessThanOrEqual(after - before);
    // max_slot_wal_keep_size is -1 (unlimited) on the test servers: nothing to count down from.
    expect(r!.safe_wal_size).toBeNull();
    expect(r!.two_phase).toBe(major >= 14 ? false : null);
    // conflicting is defined for logical slots only; a physical slot reads null on 16+ as well.
    expect(r!.conflicting).toBeNull();
    if (major < 17) expect(r!.inactive_since).toBeNull();
  });
});
