import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next";

describe("safeNextPath (no open redirect)", () => {
  it.each([
    ["/alerts?state=firing#x", "/alerts?state=firing#x"],
    ["/targets/prod/live", "/targets/prod/live"],
    [null, "/"],
    ["", "/"],
    ["//evil.example", "/"],
    ["/\\evil.example", "/"],
    ["\\\\evil.example", "/"],
    ["https://evil.example/", "/"],
    ["javascript:alert(1)", "/"],
    ["/\t/evil.example", "/"],
    ["/login?next=/x", "/"],
    ["/login/", "/"],
    ["/x/../login", "/"],
    ["/api/auth/logout", "/"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/a/./b/../c", "/a/c"],
    ["/a//b?x=//y", "/a/b?x=//y"],
  ])("%j → %j", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });

  // Each resolved to "//evil.example/…" before: a browser reads that as another host.
  it.each([
    ["/.//evil.example/phish", "/evil.example/phish"],
    ["/x/..//evil.example", "/evil.example"],
    ["/%2e%2e//evil.example", "/evil.example"],
    ["/%2E/%2e%2E//evil.example", "/evil.example"],
  ])("dot segments cannot make %j protocol-relative", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
    expect(new URL(safeNextPath(input), "http://pgpulse.test").host).toBe("pgpulse.test");
  });

  it("an input that only grows past the limit when encoded is refused, not returned", () => {
    expect(safeNextPath(`/${"é".repeat(1000)}`)).toBe("/");
  });
});

describe("safeNextPath properties", () => {
  // Path punctuation is weighted up: a hit needs several slashes and dots in a row.
  const punctuation = fc.constantFrom("/", "//", "/.", "/..", ".", "..", "%2e", "%2E", "/%2e", "/%2e%2e", "%2f", "%5c");
  const other = fc.constantFrom("\\", "evil.example", "\t", "\n", "@", ":", "?", "#", "x", "login", "api", "https:", " ", "%09", "%00", "é");
  const piece = fc.oneof({ arbitrary: punctuation, weight: 3 }, { arbitrary: other, weight: 1 });
  const hostile = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(""));
  const startingWithSlash = hostile.map((s) => `/${s}`);
  const input = fc.oneof(hostile, startingWithSlash);

  it("stays on this origin, starts with exactly one slash, and is a fixpoint", () => {
    fc.assert(
      fc.property(input, (next) => {
        const result = safeNextPath(next);
        expect(new URL(result, "http://pgpulse.test").origin).toBe("http://pgpulse.test");
        expect(result).toMatch(/^\/(?![/\\])/);
        expect(safeNextPath(result)).toBe(result);
      }),
      { numRuns: 20_000 },
    );
  });
});
