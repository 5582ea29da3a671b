import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import {
  countByKeyAndState, episodes, messages, REAL_INTERVALS, removeRoot, startFaultServer, startReceiver, startWatching, tempRoot, until, waitForAlert, waitForRuns,
  type FaultServer, type Receiver,
} from "./support";

// target_down on a dedicated target server that really stops (fast shutdown) and starts again:
// with a test-sized `for` of 2 s the alert fires about 2 s after the first failed poll, resolves
// once the server answers again, and the receiver gets exactly one firing and one resolved.

const FOR_SECONDS = 2;
const CADENCE_MS = REAL_INTERVALS.stat_activity; // the first task to notice, and the probe's backoff cap

let root: string;
let target: FaultServer;
let store: TestDatabase;
let receiver: Receiver;
let rt: Pgpulse;

beforeAll(async () => {
  root = await tempRoot("ar-down");
  [target, store, receiver] = await Promise.all([startFaultServer(root, "target"), createTestDatabase(17, "ar_down_s"), startReceiver()]);
  rt = await startWatching({ targetUrl: target.url(), storeUrl: store.url, rule: "target_down", override: { forSeconds: FOR_SECONDS }, receiver });
}, 60_000);

afterAll(async () => {
  await rt?.stop();
  await receiver?.close();
  await target?.stop();
  await store?.drop();
  await removeRoot(root);
});

describe("target_down against a real server stop and restart", () => {
  it("fires after `for` once the server is gone, resolves when it is back; one message each", async () => {
    await waitForRuns(rt, "stat_activity", 2);
    expect(await episodes(rt.store.pool, "target_down")).toEqual([]);

    const stoppedAt = Date.now();
    await target.stop();
    const fired = await waitForAlert(rt.store.pool, "target_down", "target", "firing", 15_000);
    const firedAfter = fired.firedAt!.getTime() - stoppedAt;
    expect(firedAfter).toBeGreaterThanOrEqual(FOR_SECONDS * 1000);
    expect(firedAfter).toBeLessThanOrEqual(FOR_SECONDS * 1000 + 2 * CADENCE_MS + 1_000);
    expect(fired.value).toBe(0);
    expect(fired.severity).toBe("critical");
    expect(String(fired.details.error)).toMatch(/ECONNREFUSED|terminat|shutting down|connect/i);

    // Still down a while later: one episode, not one per failed poll.
    await until("a few more failed polls", () => (rt.health().targets[0].up === false && Date.now() - fired.firedAt!.getTime() > 2 * CADENCE_MS), 10_000);
    expect((await episodes(rt.store.pool, "target_down")).length).toBe(1);

    const restartedAt = Date.now();
    await target.start();
    const resolved = await waitForAlert(rt.store.pool, "target_down", "target", "resolved", 15_000);
    expect(resolved.id).toBe(fired.id);
    expect(resolved.resolvedAt!.getTime()).toBeGreaterThanOrEqual(restartedAt);
    expect(resolved.resolvedAt!.getTime() - restartedAt).toBeLessThanOrEqual(2 * CADENCE_MS + 1_000);

    await until("firing and resolved messages received", () => messages(receiver, "target_down").length >= 2, 10_000);
    const got = messages(receiver, "target_down");
    expect(got.map((m) => [m.object, m.state])).toEqual([
      ["target", "firing"],
      ["target", "resolved"],
    ]);
    expect(Object.values(countByKeyAndState(got))).toEqual([1, 1]);
  });
});
