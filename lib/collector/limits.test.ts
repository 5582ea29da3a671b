import { describe, expect, it } from "vitest";
import { createSemaphore } from "./limits";

describe("semaphore", () => {
  it("hands slots first come, first served, and passes a released slot to the next waiter", async () => {
    const s = createSemaphore(1);
    const first = await s.acquire();
    const order: string[] = [];
    const b = s.acquire().then((r) => (order.push("b"), r));
    const c = s.acquire().then((r) => (order.push("c"), r));
    expect([s.inUse(), s.waiting()]).toEqual([1, 2]);
    first();
    first(); // idempotent: the second call frees nothing more
    (await b)();
    (await c)();
    expect(order).toEqual(["b", "c"]);
    expect([s.inUse(), s.waiting()]).toEqual([0, 0]);
  });

  it("asks the holders to give their slot back when someone starts waiting", async () => {
    const s = createSemaphore(1);
    let asked = 0;
    const held = await s.acquire(() => {
      asked++;
      held();
    });
    const next = await s.acquire();
    expect(asked).toBe(1);
    expect(s.inUse()).toBe(1);
    next();
    expect(s.inUse()).toBe(0);
  });
});
