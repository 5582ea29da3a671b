import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedServer } from "@/lib/embedded/postgres";
import { runMetric } from "@/lib/metrics/run";
import { openTestTarget, type TestTarget } from "@/test/support/target";
import { archiver, type ArchiverRow } from "./archiver";

// archive_mode needs a restart, so the shared test servers (archive_mode off) cannot show a
// working archiver: a server of its own, first with a command that always fails, then fixed.
// The oldest and newest majors cover both SQL variants (archive_library arrived in 15).

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each([13, 18] as const)("archiver on PostgreSQL %i", (major) => {
  let root: string;
  let srv: EmbeddedServer;
  let t: TestTarget;
  let admin: pg.Client;

  async function read(): Promise<ArchiverRow> {
    const res = await runMetric(t.pool, archiver, t.ctx.caps, "t");
    if (res.status !== "ok") throw new Error(res.status === "error" ? res.error : res.reason);
    return res.rows[0] as ArchiverRow;
  }

  /** Polls the metric until `done` holds; the archiver retries on its own schedule. */
  async function until(done: (r: ArchiverRow) => boolean, ms = 90_000): Promise<ArchiverRow> {
    const deadline = Date.now() + ms;
    let r = await read();
    while (!done(r) && Date.now() < deadline) {
      await sleep(250);
      r = await read();
    }
    return r;
  }

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "pgpulse-archiver-"));
    srv = await startEmbeddedPostgres({
      major, dataDir: path.join(root, "data"), persistent: false,
      settings: { archive_mode: "on" },
    });
    admin = new pg.Client({ connectionString: srv.url() });
    await admin.connect();
    // Through ALTER SYSTEM, not the command line: a -c setting outranks postgresql.auto.conf, so
    // the later fix would never take.
    await admin.query("ALTER SYSTEM SET archive_command = 'false'");
    await admin.query("SELECT pg_reload_conf()");
    t = await openTestTarget(srv.url());
  });

  afterAll(async () => {
    await admin?.end();
    await t?.end();
    await srv?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it("a failing archive_command counts failures; fixed, the same segment is archived", { timeout: 200_000 }, async () => {
    const first = await until((r) => r.archive_command_set, 10_000);
    expect(first).toMatchObject({ archive_mode: "on", archive_command_set: true, archived_count: 0 });
    expect(first.archive_library_set).toBe(major >= 15 ? false : null);

    await admin.query("CREATE TABLE filler AS SELECT g FROM generate_series(1, 1000) g");
    const segment = (await admin.query("SELECT pg_walfile_name(pg_current_wal_lsn()) AS f")).rows[0].f as string;
    await admin.query("SELECT pg_switch_wal()");
    const failing = await until((r) => r.failed_count > 0);
    expect(failing.failed_count).toBeGreaterThan(0);
    expect(failing).toMatchObject({ archived_count: 0, last_failed_wal: segment, last_archived_wal: null });
    expect(failing.last_failed_time).toBeInstanceOf(Date);

    await admin.query("ALTER SYSTEM SET archive_command = 'true'");
    await admin.query("SELECT pg_reload_conf()");
    const fixed = await until((r) => r.archived_count > 0);
    expect(fixed.archived_count).toBeGreaterThan(0);
    expect(fixed.last_archived_wal).toBe(segment);
    expect(fixed.failed_count).toBeGreaterThanOrEqual(failing.failed_count);
  });
});
