import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprintSql, loadSqlParser } from "@/lib/analysis/sql-text";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { client, countByKeyAndState, episodes, messages, REAL_INTERVALS, startReceiver, startWatching, until, waitForAlert, waitForRuns, type Receiver } from "./support";

// A real pg_sleep(1.5) on the target raises slow_query within one slow_queries cadence of the
// statement ending (the running-statement source can see it even earlier), with the statement's
// fingerprint as the alert's object; a 0.2 s statement does not. keepFiringFor is test-sized so
// the episode also resolves, and the receiver gets one firing and one resolved message.

const CADENCE_MS = REAL_INTERVALS.slow_queries;
const SLOW_SQL = "SELECT pg_sleep(1.5)";
// A different statement shape, so a different fingerprint (constants alone would not differ).
const FAST_SQL = "SELECT pg_sleep(0.2), 'fast' AS kind";

let target: TestDatabase;
let store: TestDatabase;
let receiver: Receiver;
let rt: Pgpulse;
let app: pg.Client;

beforeAll(async () => {
  [target, store, receiver] = await Promise.all([createTestDatabase(17, "ar_slow_t"), createTestDatabase(17, "ar_slow_s"), startReceiver()]);
  app = await client(target.url);
  // pg_stat_statements (preloaded on the test servers) catches a statement that ended between two polls.
  await app.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  await loadSqlParser();
  rt = await startWatching({ targetUrl: target.url, storeUrl: store.url, rule: "slow_query", override: { keepFiringForSeconds: 2 }, receiver });
});

afterAll(async () => {
  await rt?.stop();
  await app?.end().catch(() => {});
  await receiver?.close();
  await Promise.allSettled([target?.drop(), store?.drop()]);
});

describe("slow_query against a real slow statement", () => {
  it("a 0.2 s statement raises nothing", async () => {
    // Two runs first: the pg_stat_statements baseline exists before the statement.
    await waitForRuns(rt, "slow_queries", 2);
    await app.query(FAST_SQL);
    await waitForRuns(rt, "slow_queries", 3);
    expect(await episodes(rt.store.pool, "slow_query", fingerprintSql(FAST_SQL))).toEqual([]);
  });

  it("pg_sleep(1.5) fires within one cadence, then resolves after keepFiringFor; one message each", async () => {
    const fp = fingerprintSql(SLOW_SQL);
    const startedAt = Date.now();
    await app.query(SLOW_SQL);
    const endedAt = Date.now();

    const fired = await until("slow_query firing", async () => (await episodes(rt.store.pool, "slow_query", fp)).find((a) => a.firedAt !== null), 10_000);
    expect(fired.value).toBeGreaterThanOrEqual(1_000);
    expect(fired.value).toBeLessThan(endedAt - startedAt + 500);
    expect(fired.threshold).toBe(1_000);
    expect(["running", "pg_stat_statements"]).toContain(fired.labels.source);
    // Seen at the earliest once the statement passed 1 s, at the latest one (jittered) cadence
    // after it ended, plus the run and evaluation themselves.
    const firedAt = fired.firedAt!.getTime();
    expect(firedAt).toBeGreaterThanOrEqual(startedAt + 1_000);
    expect(firedAt - endedAt).toBeLessThanOrEqual(CADENCE_MS * 1.1 + 1_000);

    const resolved = await waitForAlert(rt.store.pool, "slow_query", fp, "resolved", 15_000);
    expect(resolved.id).toBe(fired.id);
    expect(resolved.resolvedAt!.getTime() - firedAt).toBeGreaterThanOrEqual(2_000);

    await until("firing and resolved messages received", () => messages(receiver, "slow_query", fp).length >= 2, 10_000);
    const got = messages(receiver, "slow_query", fp);
    expect(got.map((m) => m.state)).toEqual(["firing", "resolved"]);
    expect(Object.values(countByKeyAndState(got))).toEqual([1, 1]);
    // Nothing about the fast statement reached the receiver either.
    expect(messages(receiver, "slow_query").length).toBe(2);
  });
});
