import { describe, expect, it } from "vitest";
import { boundedAnswers } from "./bounded-answers";

describe("bounded answers", () => {
  it("shares one build per key and version, rebuilds on a new version", async () => {
    const cache = boundedAnswers(1_000);
    const owner = {};
    let builds = 0;
    const build = async () => `answer ${++builds}`;
    const [a, b] = await Promise.all([cache.get(owner, "k", [1], build), cache.get(owner, "k", [1], build)]);
    expect([a, b, builds]).toEqual(["answer 1", "answer 1", 1]);
    expect(await cache.get(owner, "k", [2], build)).toBe("answer 2");
    expect(await cache.get({}, "k", [2], build)).toBe("answer 3");
  });

  it("drops the least recently used answers past its byte bound", async () => {
    const cache = boundedAnswers(25);
    const owner = {};
    const ten = (c: string) => async () => c.repeat(10);
    await cache.get(owner, "a", [], ten("a"));
    await cache.get(owner, "b", [], ten("b"));
    await cache.get(owner, "a", [], ten("x")); // a hit: "a" is now the most recent
    await cache.get(owner, "c", [], ten("c"));
    await new Promise((r) => setTimeout(r, 0));
    expect(cache.counts()).toMatchObject({ entries: 2, bytes: 20 });
    expect(await cache.get(owner, "a", [], ten("y"))).toBe("aaaaaaaaaa");
    expect(await cache.get(owner, "b", [], ten("z"))).toBe("zzzzzzzzzz");
  });

  it("keeps no failed build", async () => {
    const cache = boundedAnswers(1_000);
    const owner = {};
    await expect(cache.get(owner, "k", [], async () => Promise.reject(new Error("store down")))).rejects.toThrow("store down");
    expect(await cache.get(owner, "k", [], async () => "ok")).toBe("ok");
  });
});
