import { describe, expect, it } from "vitest";
import { createSemaphore, SlotWaitTimeout, type AcquireOptions, type Semaphore } from "./limits";

/** Lets granted slots' callbacks run. */
const settle = () => new Promise((r) => setImmediate(r));

/** Waiters that note, in order, when they get their slot, and keep its release by name. */
function recorder(s: Semaphore) {
  const order: string[] = [];
  const releases = new Map<string, () => void>();
  const wait = (name: string, opts?: AcquireOptions) =>
    s.acquire(opts).then((release) => {
      order.push(name);
      releases.set(name, release);
    });
  return { order, wait, release: (name: string) => releases.get(name)!() };
}

describe("semaphore", () => {
  it("hands slots first come, first served, and passes a released slot to the next waiter", async () => {
    const s = createSemaphore(1);
    const first = await s.acquire();
    const r = recorder(s);
    void r.wait("b");
    void r.wait("c");
    expect([s.inUse(), s.waiting()]).toEqual([1, 2]);
    first();
    first(); // idempotent: the second call frees nothing more
    await settle();
    r.release("b");
    await settle();
    r.release("c");
    expect(r.order).toEqual(["b", "c"]);
    expect([s.inUse(), s.waiting()]).toEqual([0, 0]);
  });

  it("serves urgent callers ahead of every waiting run, first come first served among them, then the runs in order", async () => {
    const s = createSemaphore(2);
    const [first] = [await s.acquire(), await s.acquire()];
    const r = recorder(s);
    for (const [name, urgent] of [["run1", false], ["run2", false], ["cancel", true], ["run3", false], ["explain", true]] as const) {
      void r.wait(name, { urgent });
    }
    expect([s.inUse(), s.waiting()]).toEqual([2, 5]);
    // One slot freed at a time: it goes to exactly one waiter and the budget stays full.
    first();
    for (let granted = 1; granted <= 5; granted++) {
      await settle();
      expect(r.order.length).toBe(granted);
      expect(s.inUse()).toBe(2);
      r.release(r.order[granted - 1]);
    }
    expect(r.order).toEqual(["cancel", "explain", "run1", "run2", "run3"]);
  });

  it("gives runs every slot while no urgent caller waits, and an urgent caller that times out leaves its place", async () => {
    const s = createSemaphore(1);
    const held = await s.acquire();
    const r = recorder(s);
    const gaveUp = s.acquire({ urgent: true, waitMs: 20 }).then(
      () => "granted",
      (e: unknown) => (e instanceof SlotWaitTimeout ? "timed out" : "other"),
    );
    void r.wait("run1");
    expect(await gaveUp).toBe("timed out");
    expect(s.waiting()).toBe(1);
    held();
    await settle();
    expect(r.order).toEqual(["run1"]);
    expect(s.inUse()).toBe(1);
  });

  it("asks the holders to give their slot back when someone starts waiting", async () => {
    const s = createSemaphore(1);
    let asked = 0;
    const held = await s.acquire({
      reclaim: () => {
        asked++;
        held();
      },
    });
    const next = await s.acquire({ urgent: true });
    expect(asked).toBe(1);
    expect(s.inUse()).toBe(1);
    next();
    expect(s.inUse()).toBe(0);
  });
});
