import { describe, expect, it, vi } from "vitest";

// Next loads instrumentation's bundle and the route handlers' bundle with a copy each of every
// module; vi.resetModules() gives this test a second copy the same way.
async function twoCopies<T>(path: string): Promise<[T, T]> {
  const a = (await import(/* @vite-ignore */ path)) as T;
  vi.resetModules();
  const b = (await import(/* @vite-ignore */ path)) as T;
  expect(b).not.toBe(a);
  return [a, b];
}

describe("process-wide state seen from two copies of a module", () => {
  it("the alert engine's writes (one bundle) move the count the alert-list cache reads (the other)", async () => {
    const [engine, viewers] = await twoCopies<typeof import("@/lib/alerts/changes")>("@/lib/alerts/changes");
    const pool = {};
    engine.noteAlertsChanged(pool);
    engine.noteAlertsChanged(pool);
    expect(viewers.alertsChangeCount(pool)).toBe(2);
  });

  it("an answer built through one copy is a hit through the other", async () => {
    const [lane, routes] = await twoCopies<typeof import("@/lib/server/views/answer-cache")>("@/lib/server/views/answer-cache");
    const owner = {};
    let builds = 0;
    const build = async () => `answer ${++builds}`;
    expect(await lane.oncePerVersion(owner, "k", [1], build)).toBe("answer 1");
    expect(await routes.oncePerVersion(owner, "k", [1], build)).toBe("answer 1");
    expect(builds).toBe(1);
    const res = routes.jsonAnswer("{}");
    expect(lane.jsonAnswerText(res)).toBe("{}");
  });
});
