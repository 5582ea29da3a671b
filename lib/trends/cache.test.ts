import { describe, expect, it } from "vitest";
import { createFinishedWeekCache } from "./cache";

describe("finished week cache", () => {
  it("builds once per key within the time to live, then again", async () => {
    const cache = createFinishedWeekCache<number>({ ttlMs: 1000 });
    let builds = 0;
    const build = async () => ++builds;
    const [a, b] = await Promise.all([cache.get("w", 0, build), cache.get("w", 10, build)]);
    expect([a, b, builds]).toEqual([1, 1, 1]);
    expect(await cache.get("other", 20, build)).toBe(2);
    expect(await cache.get("w", 999, build)).toBe(1);
    expect(await cache.get("w", 1000, build)).toBe(3);
  });

  it("does not keep a failed build", async () => {
    const cache = createFinishedWeekCache<number>();
    await expect(cache.get("w", 0, () => Promise.reject(new Error("store down")))).rejects.toThrow("store down");
    expect(cache.size()).toBe(0);
    expect(await cache.get("w", 1, async () => 7)).toBe(7);
  });

  it("keeps at most max entries, oldest dropped first", async () => {
    const cache = createFinishedWeekCache<string>({ max: 2 });
    for (const k of ["a", "b", "c"]) await cache.get(k, 0, async () => k);
    expect(cache.size()).toBe(2);
    expect(await cache.get("a", 1, async () => "rebuilt")).toBe("rebuilt");
    expect(await cache.get("c", 1, async () => "rebuilt")).toBe("c");
  });
});
