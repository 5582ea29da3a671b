import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@/lib/embedded/postgres";
import { at, ok } from "@/test/fixtures/store-results";
import { startDefaultStore, type DefaultStore } from "./embedded";
import { createStore } from "./store";
import type { Store } from "./types";

// The default embedded store, and what the store does while its server is down: buffer up to
// the bound, drop the oldest samples past it (counted), and write the rest once it is back.

const T0 = new Date("2026-11-20T10:00:00Z");
const conn = (i: number) => ok("connections", "t1", at(T0, 15 * i), [{ total: i }]);

let root: string;
let server: DefaultStore | null = null;
let store: Store | null = null;

afterAll(async () => {
  await store?.close().catch(() => {});
  await server?.stop().catch(() => {});
  if (root) await rm(root, { recursive: true, force: true });
});

describe("default embedded store", () => {
  it("starts PostgreSQL 17 in <dataDir>/store-pg with a pgpulse database, again on restart", async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "pgpulse-store-"));
    await chmod(root, 0o755);
    const port = await freePort();
    server = await startDefaultStore({ dataDir: root, port });
    expect(server.url).toMatch(new RegExp(`:${port}/pgpulse$`));
    await server.stop();
    server = await startDefaultStore({ dataDir: root, port });
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    const { rows } = await c.query("SELECT current_database() AS db, current_setting('server_version_num')::int / 10000 AS major");
    await c.end();
    expect(rows[0]).toEqual({ db: "pgpulse", major: 17 });
  });

  it("buffers while unreachable, drops the oldest past the bound, flushes on return", async () => {
    store = createStore({ url: server!.url, maxBufferedSamples: 50, flushIntervalMs: 3_600_000 });
    await store.migrate();
    for (let i = 0; i < 10; i++) store.accept(conn(i));
    await store.flush();
    expect(store.status()).toMatchObject({ reachable: true, buffered: 0, dropped: 0, unreachableSince: null });

    await server!.stop();
    for (let i = 10; i < 40; i++) store.accept(conn(i));
    const before = Date.now();
    await store.flush();
    const down = store.status();
    expect(down.reachable).toBe(false);
    expect(down.unreachableSince!.getTime()).toBeGreaterThanOrEqual(before);
    expect(down.buffered).toBe(30);
    expect(down.dropped).toBe(0);

    // 40 more: the buffer keeps the newest 50, the 20 oldest are dropped and counted
    for (let i = 40; i < 80; i++) store.accept(conn(i));
    // accept() never throws nor waits, even now
    store.accept({ status: "error", metric: "db_size", targetId: "t1", ts: T0, durationMs: 1, error: "boom" });
    expect(store.status()).toMatchObject({ reachable: false, buffered: 50, dropped: 20 });
    await store.flush();
    expect(store.status()).toMatchObject({ reachable: false, buffered: 50, dropped: 20 });

    const port = Number(new URL(server!.url).port);
    server = await startDefaultStore({ dataDir: root, port });
    await store.flush();
    expect(store.status()).toMatchObject({ reachable: true, unreachableSince: null, buffered: 0, dropped: 20 });

    const r = await store.seriesRange("t1", "connections.total", null, T0, at(T0, 15 * 80), { resolution: "raw" });
    const values = r.series[0].points.map((p) => p.lastValue);
    expect(values).toEqual([...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 50 }, (_, i) => 30 + i)]);
    const st = await store.metricStatus("t1");
    expect(st.find((s) => s.metric === "db_size")).toMatchObject({ status: "error", reason: "boom", errorCount: 1 });
  });
});
