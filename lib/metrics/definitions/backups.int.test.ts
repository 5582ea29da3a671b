import pg from "pg";
import { describe, expect, it } from "vitest";
import { runMetric } from "@/lib/metrics/run";
import { BACKUP_LOG_DDL } from "@/lib/setup/backup-log";
import { SUPPORTED_MAJORS, type TestDatabase } from "@/test/db";
import { useMetricTestTarget } from "@/test/support/metric-target";
import type { TestTarget } from "@/test/support/target";
import { backups, type BackupsRow } from "./backups";

// backups reads the job's own backup_log: without the table it is unavailable with the fix
// spelled out; with rows it reports the newest good backup and the newest run apart.

describe.each(SUPPORTED_MAJORS)("backups on PostgreSQL %i", (major) => {
  let db: TestDatabase;
  let t: TestTarget;
  let admin: pg.Client;

  useMetricTestTarget(major, null, (fx) => ({ db, admin, target: t } = fx));

  it("without backup_log: unavailable, naming setup and the backup job", async () => {
    const res = await runMetric(t.pool, backups, t.ctx.caps, "t");
    expect(res.status).toBe("unavailable");
    expect(res.status === "unavailable" && res.reason).toBe(
      `backup_log does not exist in ${db.name}: run npm run setup to install backup_log, and have the backup job insert a row per run`,
    );
  });

  it("an empty log: one row of nulls; then the newest good backup and the newest (failed) run", async () => {
    await admin.query(BACKUP_LOG_DDL);
    const caps = await t.refresh();
    expect(caps.objects.backup_log).toBe(true);
    const empty = await runMetric(t.pool, backups, caps, "t");
    expect(empty.status === "ok" && empty.rows).toEqual([expect.objectContaining({ last_ok_label: null, last_ok_age_seconds: null, last_ok: null })]);

    await admin.query(`INSERT INTO backup_log (label, started_at, finished_at, ok, size_bytes, tool) VALUES
      ('nightly-1', now() - interval '50 hours', now() - interval '49 hours', true, 1000, 'pgbackrest'),
      ('nightly-2', now() - interval '26 hours', now() - interval '25 hours', true, 5000000000, 'pgbackrest'),
      ('nightly-3', now() - interval '2 hours', now() - interval '1 hour', false, NULL, 'pgbackrest')`);
    const res = await runMetric(t.pool, backups, caps, "t");
    const r = res.status === "ok" ? (res.rows[0] as BackupsRow) : null;
    expect(r).toMatchObject({
      last_ok_label: "nightly-2", last_ok_size_bytes: 5_000_000_000, last_ok_tool: "pgbackrest",
      last_label: "nightly-3", last_ok: false,
    });
    // 25 hours, give or take the time the test itself takes.
    expect(r!.last_ok_age_seconds).toBeGreaterThanOrEqual(25 * 3600);
    expect(r!.last_ok_age_seconds).toBeLessThan(25 * 3600 + 60);
  });
});
