import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMetric } from "@/lib/metrics/run";
import { BACKUP_LOG_DDL } from "@/lib/setup/backup-log";
import { createTestDatabase, SUPPORTED_MAJORS, urlAs, withClient, type TestDatabase } from "@/test/db";
import { openTestTarget, type TestTarget } from "@/test/support/target";
import { archiver, type ArchiverRow } from "./archiver";
import { backups } from "./backups";
import { checkpoints } from "./checkpoints";
import { replicationSlots, type ReplicationSlotRow } from "./replication-slots";
import { wal, type WalRow } from "./wal";

// The WAL, archiving, backup and checkpoint metrics as the product's monitoring role runs them:
// pg_monitor and nothing else, plus the SELECT on backup_log that setup grants.

describe.each(SUPPORTED_MAJORS)("WAL, archiver, backups and checkpoints as pg_monitor on PostgreSQL %i", (major) => {
  let db: TestDatabase;
  let admin: pg.Client;
  let t: TestTarget;
  const suffix = randomBytes(4).toString("hex");
  const monitor = `mon_${suffix}`;
  const slot = `pgpulse_priv_${suffix}`;

  beforeAll(async () => {
    db = await createTestDatabase(major);
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(`CREATE ROLE ${monitor} LOGIN PASSWORD 'pw' IN ROLE pg_monitor`);
    await admin.query(BACKUP_LOG_DDL);
    await admin.query("SELECT pg_create_physical_replication_slot($1, true)", [slot]);
    t = await openTestTarget(urlAs(db.url, monitor, "pw"));
  });

  afterAll(async () => {
    await t?.end();
    await admin?.query("SELECT pg_drop_replication_slot($1) FROM pg_replication_slots WHERE slot_name = $1", [slot]);
    // Closed before the drop: DROP DATABASE … WITH (FORCE) would terminate it.
    await admin?.end();
    await db?.drop();
    if (db) await withClient(db.adminUrl, (c) => c.query(`DROP ROLE IF EXISTS ${monitor}`));
  });

  it("slots, WAL, archiver and checkpoints need nothing beyond pg_monitor", async () => {
    expect(t.ctx.caps.isSuperuser).toBe(false);
    for (const def of [replicationSlots, wal, archiver, checkpoints]) {
      const res = await runMetric(t.pool, def, t.ctx.caps, "t");
      expect({ id: def.id, status: res.status }).toEqual({ id: def.id, status: "ok" });
    }
    const slots = await runMetric(t.pool, replicationSlots, t.ctx.caps, "t");
    const mine = slots.status === "ok" ? (slots.rows as ReplicationSlotRow[]).find((r) => r.slot_name === slot) : undefined;
    expect(mine?.retained_bytes).toBeGreaterThanOrEqual(0);
    const w = await runMetric(t.pool, wal, t.ctx.caps, "t");
    expect(w.status === "ok" && (w.rows[0] as WalRow).lsn_bytes).toBeGreaterThan(0);
    // archive_mode is off on the shared servers: the command reads "(disabled)", counted as not set.
    const a = await runMetric(t.pool, archiver, t.ctx.caps, "t");
    expect(a.status === "ok" && (a.rows[0] as ArchiverRow)).toMatchObject({ archive_mode: "off", archive_command_set: false });
  });

  it("backups: refused (42501) until setup's SELECT grant on backup_log, then ok", async () => {
    const refused = await runMetric(t.pool, backups, await t.refresh(), "t");
    expect(refused.status === "error" && refused.code).toBe("42501");
    await admin.query(`GRANT SELECT ON backup_log TO ${monitor}`);
    expect((await runMetric(t.pool, backups, t.ctx.caps, "t")).status).toBe("ok");
  });
});
