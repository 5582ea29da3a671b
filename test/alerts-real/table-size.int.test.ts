import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { TABLE_SIZE_RUNS } from "@/lib/metrics/definitions/table-stats";
import { client, countByKeyAndState, episodes, messages, REAL_INTERVALS, startReceiver, startWatching, until, waitForAlert, waitForRuns, type Receiver } from "./support";

// table_size over a test-sized threshold (1 MiB instead of 10 GB): a table that grows past it
// fires on the next table_stats run that reads sizes (every TABLE_SIZE_RUNS-th), a small one never does, and TRUNCATE resolves the alert
// (its size drops under the 95 % clear line). The receiver gets one firing and one resolved.

const MiB = 1024 ** 2;
const THRESHOLD = MiB;
const CADENCE_MS = REAL_INTERVALS.table_stats * TABLE_SIZE_RUNS;

let target: TestDatabase;
let store: TestDatabase;
let receiver: Receiver;
let rt: Pgpulse;
let app: pg.Client;

beforeAll(async () => {
  [target, store, receiver] = await Promise.all([createTestDatabase(17, "ar_size_t"), createTestDatabase(17, "ar_size_s"), startReceiver()]);
  app = await client(target.url);
  await app.query("CREATE TABLE birth_charts (id bigint, name text, chart jsonb); CREATE TABLE small_lookup (id int PRIMARY KEY, label text)");
  await app.query("INSERT INTO small_lookup SELECT g, 'sign ' || g FROM generate_series(1, 12) g");
  rt = await startWatching({ targetUrl: target.url, storeUrl: store.url, rule: "table_size", thresholds: { tableSizeBytes: THRESHOLD }, receiver });
});

afterAll(async () => {
  await rt?.stop();
  await app?.end().catch(() => {});
  await receiver?.close();
  await Promise.allSettled([target?.drop(), store?.drop()]);
});

describe("table_size against real table sizes", () => {
  it("fires when a table grows past the threshold and resolves after TRUNCATE", async () => {
    await waitForRuns(rt, "table_stats", 1);
    expect(await episodes(rt.store.pool, "table_size")).toEqual([]);

    // ≈ 3 MiB of rows: well past the threshold.
    await app.query(
      `INSERT INTO birth_charts SELECT g, 'user ' || g, jsonb_build_object('sun', g % 12, 'moon', (g * 7) % 12, 'note', repeat('x', 40))
         FROM generate_series(1, 20000) g`,
    );
    const grownAt = Date.now();
    const size = Number((await app.query<{ b: string }>("SELECT pg_total_relation_size('birth_charts') AS b")).rows[0].b);
    expect(size).toBeGreaterThan(2 * THRESHOLD);

    const fired = await waitForAlert(rt.store.pool, "table_size", "public.birth_charts", "firing", 20_000);
    expect(fired.value).toBeGreaterThan(THRESHOLD);
    expect(Math.abs(fired.value! - size)).toBeLessThan(0.1 * size);
    expect(fired.threshold).toBe(THRESHOLD);
    expect(fired.labels).toMatchObject({ schema: "public", table: "birth_charts" });
    expect(fired.firedAt!.getTime() - grownAt).toBeLessThanOrEqual(CADENCE_MS * 1.1 + 1_500);

    await app.query("TRUNCATE birth_charts");
    const truncatedAt = Date.now();
    const resolved = await waitForAlert(rt.store.pool, "table_size", "public.birth_charts", "resolved", 20_000);
    expect(resolved.id).toBe(fired.id);
    expect(resolved.resolvedAt!.getTime()).toBeGreaterThanOrEqual(truncatedAt - 50);
    expect(resolved.resolvedAt!.getTime() - truncatedAt).toBeLessThanOrEqual(CADENCE_MS * 1.1 + 1_500);

    // The small table was seen on every run and never raised anything.
    expect(await episodes(rt.store.pool, "table_size", "public.small_lookup")).toEqual([]);

    await until("firing and resolved messages received", () => messages(receiver, "table_size").length >= 2, 10_000);
    const got = messages(receiver, "table_size");
    expect(got.map((m) => [m.object, m.state])).toEqual([
      ["public.birth_charts", "firing"],
      ["public.birth_charts", "resolved"],
    ]);
    expect(Object.values(countByKeyAndState(got))).toEqual([1, 1]);
  });
});
