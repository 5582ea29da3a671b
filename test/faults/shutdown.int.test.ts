import { writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/lib/embedded/postgres";
import { startDefaultStore, type DefaultStore } from "@/lib/store/embedded";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { adminPool, isAlive, removeRoot, startChildPgpulse, tempRoot, until, type ChildPgpulse } from "./support";

// Fault 10: SIGTERM to a pgpulse process running with its default embedded history store.
// In-flight writes are flushed (every sample handed to the store before the signal is in it),
// the monitoring connections are closed (no pgpulse session left on the target), and the
// embedded PostgreSQL is stopped cleanly (no postmaster left, no crash recovery at next start).

let root: string;
let target: TestDatabase;
let child: ChildPgpulse | null = null;
let reopened: DefaultStore | null = null;
let targetAdmin: pg.Pool;

beforeAll(async () => {
  root = await tempRoot("term");
  target = await createTestDatabase(17, "fault_term_target");
  targetAdmin = adminPool(target.adminUrl, 1);
});

afterAll(async () => {
  if (child && isAlive(child.pid)) process.kill(child.pid, "SIGKILL");
  await reopened?.stop();
  await targetAdmin?.end();
  await target?.drop();
  await removeRoot(root);
});

const sessionsOnTarget = async () =>
  (await targetAdmin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pgpulse'", [target.name])).rows[0].n;

describe("graceful shutdown on SIGTERM", () => {
  it("flushes what was accepted, closes its sessions and stops the embedded store", async () => {
    const configPath = path.join(root, "pgpulse.config.json");
    await writeFile(configPath, JSON.stringify({ targets: [{ id: "t", name: "Target", url: target.url }] }));
    const storePort = await freePort();
    const dataDir = path.join(root, "data");
    child = startChildPgpulse({
      PGPULSE_CONFIG: configPath,
      PGPULSE_DATA_DIR: dataDir,
      PGPULSE_STORE_PORT: String(storePort),
      PGPULSE_INTERVALS: JSON.stringify({ stat_activity: 500, connections: 500, db_stats: 1000, server: 1000 }),
    });
    await child.ready;
    const storePid = Number((await import("node:fs/promises").then((fs) => fs.readFile(path.join(dataDir, "store-pg", "postmaster.pid"), "utf8"))).split("\n")[0]);
    expect(isAlive(storePid)).toBe(true);
    const accepted = () => child!.lines.filter((l) => (l.accepted as { metric: string } | undefined)?.metric === "stat_activity");
    await until("stat_activity samples accepted", () => accepted().length >= 4, 20_000);
    await until("pgpulse sessions on the target", async () => (await sessionsOnTarget()) > 0);

    process.kill(child.pid, "SIGTERM");
    const exit = await child.exited;
    const sent = accepted().map((l) => (l.accepted as { ts: string }).ts);
    // Exited by its own handler (0), or by the embedded package's hook once the store had
    // stopped (143): either way after the shutdown, never killed.
    expect(exit.signal, child.output()).toBeNull();
    expect([0, 143], child.output()).toContain(exit.code);

    // The embedded store's postmaster is gone and left no pid file (a clean shutdown).
    expect(isAlive(storePid)).toBe(false);
    await expect(import("node:fs/promises").then((fs) => fs.access(path.join(dataDir, "store-pg", "postmaster.pid")))).rejects.toThrow();
    // No monitoring session left behind (a backend exits right after its client closes).
    await until("no pgpulse session on the target", async () => (await sessionsOnTarget()) === 0, 5_000);

    // Every sample accepted before the signal is in the store.
    reopened = await startDefaultStore({ dataDir, port: storePort });
    const c = new pg.Client({ connectionString: reopened.url });
    await c.connect();
    const { rows } = await c.query<{ ts: Date }>(
      "SELECT DISTINCT s.ts FROM pgpulse.raw_samples(NULL, '-infinity', 'infinity') s JOIN pgpulse.series r ON r.id = s.series_id WHERE r.target_id = 't' AND r.name = 'stat_activity.total'",
    );
    await c.end();
    const stored = new Set(rows.map((r) => r.ts.toISOString()));
    expect(sent.filter((ts) => !stored.has(ts))).toEqual([]);
    expect(sent.length).toBeGreaterThanOrEqual(4);
  }, 90_000);
});
