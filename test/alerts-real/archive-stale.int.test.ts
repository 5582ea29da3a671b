import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import {
  countByKeyAndState, episodes, messages, removeRoot, startFaultServer, startReceiver, startWatching, tempRoot, until, waitForAlert, waitForRuns,
  type FaultServer, type Receiver,
} from "./support";

// archive_stale on a server of its own with archive_mode on (it needs a restart, which the shared
// test servers cannot take). Archiving first works, then its command fails while completed
// segments pile up, then it works again. A test-sized line of 3 s since the last archive stands
// for the 15 minutes of the default; the wal and archiver metrics are read every second.

const STALE_SECONDS = 3;

let root: string;
let target: FaultServer;
let store: TestDatabase;
let receiver: Receiver;
let admin: pg.Client;
let rt: Pgpulse;

async function setArchiveCommand(cmd: "true" | "false") {
  // ALTER SYSTEM, not the command line: a -c setting would outrank postgresql.auto.conf.
  await admin.query(`ALTER SYSTEM SET archive_command = '${cmd}'`);
  await admin.query("SELECT pg_reload_conf()");
}

/** Completes the current WAL segment after writing to it (a switch needs WAL since the last one). */
async function completeSegment(n: number) {
  await admin.query(`INSERT INTO filler SELECT g FROM generate_series(1, 1000) g`);
  const r = await admin.query("SELECT pg_switch_wal()::text AS lsn");
  if (n > 1) await completeSegment(n - 1);
  return r.rows[0].lsn as string;
}

const archived = async () => Number((await admin.query("SELECT archived_count FROM pg_stat_archiver")).rows[0].archived_count);

beforeAll(async () => {
  root = await tempRoot("ar-archive");
  [target, store, receiver] = await Promise.all([startFaultServer(root, "target", { archive_mode: "on" }), createTestDatabase(17, "ar_archive_s"), startReceiver()]);
  admin = new pg.Client({ connectionString: target.url() });
  await admin.connect();
  await admin.query("CREATE TABLE filler (g int)");
  await setArchiveCommand("true");
  rt = await startWatching({
    targetUrl: target.url(),
    storeUrl: store.url,
    rule: "archive_stale",
    override: { threshold: STALE_SECONDS, criticalThreshold: null },
    intervals: { wal: 1_000, archiver: 1_000 },
    receiver,
  });
}, 60_000);

afterAll(async () => {
  await rt?.stop();
  await admin?.end();
  await receiver?.close();
  await target?.stop();
  await store?.drop();
  await removeRoot(root);
});

describe("archive_stale against a real archiver", () => {
  it("fires while completed segments wait with the command failing, resolves once it archives again", { timeout: 120_000 }, async () => {
    // Working archiving: segments are archived as they complete; time passing alone is not stale.
    await completeSegment(1);
    await until("a segment archived", async () => (await archived()) > 0, 20_000);
    await waitForRuns(rt, "archiver", 2);
    await waitForRuns(rt, "wal", 2);
    await new Promise((r) => setTimeout(r, (STALE_SECONDS + 1) * 1000));
    await waitForRuns(rt, "wal", 2);
    expect(await episodes(rt.store.pool, "archive_stale")).toEqual([]);

    // The command fails: the next segments complete and wait.
    await setArchiveCommand("false");
    await waitForRuns(rt, "wal", 1);
    const stalledAt = Date.now();
    const before = await archived();
    await completeSegment(2);
    const fired = await waitForAlert(rt.store.pool, "archive_stale", "archiver", "firing", 30_000);
    expect(await archived()).toBe(before);
    expect(fired.value!).toBeGreaterThan(STALE_SECONDS);
    expect(fired.severity).toBe("warning");
    expect(fired.details.segmentsWaiting as number).toBeGreaterThanOrEqual(1);
    expect(fired.firedAt!.getTime()).toBeGreaterThanOrEqual(stalledAt);

    // Fixed: the archiver catches up on its next try, and the alert resolves.
    const fixedAt = Date.now();
    await setArchiveCommand("true");
    await until("the waiting segments archived", async () => (await archived()) > before, 90_000);
    const resolved = await waitForAlert(rt.store.pool, "archive_stale", "archiver", "resolved", 15_000);
    expect(resolved.id).toBe(fired.id);
    expect(resolved.resolvedAt!.getTime()).toBeGreaterThanOrEqual(fixedAt);
    expect(await episodes(rt.store.pool, "archive_stale")).toHaveLength(1);

    await until("firing and resolved messages received", () => messages(receiver, "archive_stale").length >= 2, 10_000);
    const got = messages(receiver, "archive_stale");
    expect(got.map((m) => [m.object, m.state])).toEqual([
      ["archiver", "firing"],
      ["archiver", "resolved"],
    ]);
    expect(Object.values(countByKeyAndState(got))).toEqual([1, 1]);
  });
});
