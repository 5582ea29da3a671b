import { describe, expect, it, vi } from "vitest";
import { DomainError, isDomainError } from "./errors";

describe("isDomainError", () => {
  it("recognises an error made by another bundle's copy of the class", async () => {
    // The runtime (delivery worker, collector) is bundled apart from the route handlers: the
    // same module loaded twice gives two class objects, which instanceof tells apart.
    vi.resetModules();
    const other = (await import("./errors")) as typeof import("./errors");
    expect(other.DomainError).not.toBe(DomainError);
    const foreign = new other.DomainError(404, 'no channel "x"');
    expect(foreign instanceof DomainError).toBe(false);
    expect(isDomainError(foreign)).toBe(true);
    expect(foreign.body()).toEqual({ error: 'no channel "x"' });
  });

  it("refuses look-alikes and non-errors", () => {
    expect(isDomainError(Object.assign(new Error("boom"), { name: "DomainError", status: 404 }))).toBe(false);
    expect(isDomainError(null)).toBe(false);
    expect(isDomainError("DomainError")).toBe(false);
  });

  it("puts code and param in the body only when set", () => {
    expect(new DomainError(400, "bad", { param: "id" }).body()).toEqual({ error: "bad", param: "id" });
    expect(new DomainError(429, "slow down", { code: "rate_limited" }).body()).toEqual({ error: "slow down", code: "rate_limited" });
  });
});
