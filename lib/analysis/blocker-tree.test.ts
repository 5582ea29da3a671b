import { describe, expect, it } from "vitest";
import type { BlockerNode } from "@/lib/api/activity";
import { buildBlockerTree } from "./blocker-tree";

const s = (pid: number, blockedBy: number[] = [], durationMs: number | null = null) => ({
  pid,
  user: "app",
  application: "web",
  state: "active",
  waitEventType: blockedBy.length ? "Lock" : null,
  waitEvent: blockedBy.length ? "transactionid" : null,
  query: `select ${pid}`,
  durationMs,
  xactAgeMs: durationMs,
  blockedBy,
});

/** "pid(children…)" — a compact picture of the tree to compare against. */
const shape = (nodes: BlockerNode[]): string =>
  nodes.map((n) => `${n.pid}${n.repeated ? "*" : ""}${n.children.length ? `(${shape(n.children)})` : ""}`).join(" ");

describe("buildBlockerTree", () => {
  it("no blocking → empty", () => {
    expect(buildBlockerTree([s(1), s(2)])).toEqual([]);
  });

  it("a chain A → B → C is one tree rooted at A with the waiting times of each branch", () => {
    const tree = buildBlockerTree([s(10, [], 90_000), s(20, [10], 30_000), s(30, [20], 12_000), s(40)]);
    expect(shape(tree)).toBe("10(20(30))");
    const [a] = tree;
    expect(a.waitingMs).toBeNull();
    expect(a.blockedCount).toBe(2);
    expect(a.branchWaitingMs).toBe(30_000);
    expect(a.children[0].waitingMs).toBe(30_000);
    expect(a.children[0].branchWaitingMs).toBe(12_000);
    expect(a.children[0].children[0].waitingMs).toBe(12_000);
    expect(a.query).toBe("select 10");
  });

  it("two roots, the larger pile-up first", () => {
    const tree = buildBlockerTree([s(1), s(2, [1], 5000), s(7), s(8, [7], 100), s(9, [7], 200)]);
    expect(shape(tree)).toBe("7(8 9) 1(2)");
    expect(tree.map((n) => n.blockedCount)).toEqual([2, 1]);
  });

  it("a deadlock in progress (cycle) terminates and is flagged", () => {
    const tree = buildBlockerTree([s(5, [6], 3000), s(6, [5], 2000), s(7, [6], 1000)]);
    expect(shape(tree)).toBe("5(6(5* 7))");
    expect(tree[0].inCycle).toBe(true);
    expect(tree[0].children[0].inCycle).toBe(true);
    expect(tree[0].children[0].children[1].inCycle).toBe(false);
    expect(tree[0].waitingMs).toBe(3000);
  });

  it("a session blocked by two others is expanded once", () => {
    const tree = buildBlockerTree([s(1), s(2), s(3, [1, 2], 400), s(4, [3], 100)]);
    expect(shape(tree)).toBe("1(3(4)) 2(3*)");
  });

  it("a blocker we cannot see (another database, hidden) still roots the tree", () => {
    const tree = buildBlockerTree([s(3, [99], 700)]);
    expect(tree).toHaveLength(1);
    expect(tree[0]).toMatchObject({ pid: 99, known: false, query: null, blockedCount: 1, branchWaitingMs: 700 });
  });

  it("ignores a pid listed as blocking itself and duplicates", () => {
    expect(shape(buildBlockerTree([s(1, [1]), s(2, [1, 1], 10)]))).toBe("1(2)");
  });

  it("stays fast on a long chain and a large fan-out", () => {
    const chain = Array.from({ length: 5000 }, (_, i) => s(i + 1, i === 0 ? [] : [i], 1));
    const t0 = performance.now();
    const tree = buildBlockerTree(chain);
    expect(tree[0].blockedCount).toBe(4999);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
