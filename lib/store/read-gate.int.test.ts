import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { errorResponse } from "@/lib/server/http/error-response";
import { isDomainError } from "@/lib/errors";
import { createStore } from "./store";
import type { Store } from "./types";

// The history store's read gate on a real PostgreSQL: hold every read connection with
// pg_sleep, and a viewer's read is refused 503 + Retry-After (never a 500 from a connect
// timeout); once the sleeps end, reads are served again.

vi.stubEnv("PGPULSE_LOG_LEVEL", "silent");

let db: TestDatabase;
let store: Store;

beforeAll(async () => {
  db = await createTestDatabase(17, "read_gate");
  store = createStore({ url: db.url, flushIntervalMs: 60_000, reads: { slots: 2, maxQueue: 2, waitMs: 300 } });
  await store.migrate();
});

afterAll(async () => {
  await store?.close();
  await db?.drop();
});

const sleep = (s: number) => store.read((p) => p.query("SELECT pg_sleep($1)", [s]));
const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(() => null, (err: unknown) => err);
  if (!isDomainError(e)) throw new Error(`expected a refusal, got ${String(e)}`);
  const res = errorResponse(e);
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: await res.json(), reason: (e as { reason?: string }).reason };
};

describe("store read gate", () => {
  it("refuses 503 + Retry-After when saturated, then recovers", async () => {
    const held = [sleep(1.5), sleep(1.5)];
    await vi.waitFor(() => expect(store.readLoad().running).toBe(2));
    // Two may wait: they time out after 300 ms, still behind the sleeps.
    const waited = [store.metricStatus("t"), store.historyRowsAt("t", "table_stats", new Date())];
    // The queue is full: the next read is refused at once.
    const started = Date.now();
    const full = await refusal(store.seriesRange("t", "xact_commit", null, new Date(Date.now() - 60_000), new Date()));
    expect(Date.now() - started).toBeLessThan(250);
    expect(full).toMatchObject({ status: 503, retryAfter: "1", reason: "queue_full", body: { code: "store_busy" } });
    for (const w of waited) expect(await refusal(w)).toMatchObject({ status: 503, retryAfter: "1", reason: "wait_timeout" });

    await Promise.all(held);
    expect(store.readLoad()).toEqual({ running: 0, waiting: 0 });
    expect(await store.metricStatus("t")).toEqual([]);
  });

  it("hands a freed slot to the next waiting read", async () => {
    const held = [sleep(0.1), sleep(0.1)];
    const queued = store.read((p) => p.query("SELECT 1 AS one"));
    expect((await queued).rows[0].one).toBe(1);
    await Promise.all(held);
    expect(store.readLoad()).toEqual({ running: 0, waiting: 0 });
  });
});
