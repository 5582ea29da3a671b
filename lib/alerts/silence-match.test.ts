import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globMatches, MAX_GLOB_KEY_LENGTH, silenceMatches } from "./silence-match";

// Reference glob semantics by dynamic programming: obviously right, too slow for production
// only because it always does key × pattern work.
function reference(pattern: string, key: string): boolean {
  let row = Array.from({ length: key.length + 1 }, (_, j) => j === 0);
  for (const c of pattern) {
    const next = new Array<boolean>(key.length + 1).fill(false);
    next[0] = c === "*" && row[0];
    for (let j = 1; j <= key.length; j++) next[j] = c === "*" ? row[j] || next[j - 1] : row[j - 1] && key[j - 1] === c;
    row = next;
  }
  return row[key.length];
}

describe("globMatches", () => {
  it.each([
    ["empty pattern matches only the empty key", "", "", true],
    ["empty pattern refuses a key", "", "a", false],
    ["only stars match the empty key", "***", "", true],
    ["only stars match anything", "*", "public.birth_charts", true],
    ["leading star", "*_charts", "public.birth_charts", true],
    ["leading star, wrong suffix", "*_chart", "public.birth_charts", false],
    ["trailing star", "public.*", "public.birth_charts", true],
    ["trailing star, wrong prefix", "private.*", "public.birth_charts", false],
    ["stars on both ends", "*birth*", "public.birth_charts", true],
    ["prefix and suffix must not overlap", "ab*ba", "aba", false],
    ["middle parts in order", "a*b*c", "axbxc", true],
    ["middle parts out of order", "a*c*b", "axbxc", false],
    ["middle part must end before the suffix", "*bc*c", "abc", false],
    ["a star matches the empty run", "a*b", "ab", true],
    ["repeated stars collapse", "a***b**", "ab", true],
    [". is literal", "public.birth", "publicXbirth", false],
    [". matches itself", "public.birth", "public.birth", true],
    ["( is literal", "f(*)", "f(x)", true],
    ["[ is literal", "[a-z]*", "b", false],
    ["[ matches itself", "[a-z]*", "[a-z]x", true],
    ["\\ is literal", "a\\d", "a1", false],
    ["\\ matches itself", "a\\d*", "a\\d9", true],
    ["? is literal, not one character", "a?c", "abc", false],
    ["? matches itself", "a?c", "a?c", true],
    ["$ and ^ are literal", "^a$", "^a$", true],
  ])("%s: %j ~ %j → %s", (_name, pattern, key, expected) => {
    expect(globMatches(pattern, key)).toBe(expected);
  });

  it("a miss found only in the middle parts", () => {
    const pattern = `${"*ab".repeat(100)}*X`;
    expect(globMatches(pattern, `${"ab".repeat(99)}X`)).toBe(false);
    expect(globMatches(pattern, `${"ab".repeat(100)}X`)).toBe(true);
    expect(globMatches(pattern, `${"ab".repeat(99)}aXbX`)).toBe(false);
  });

  it("a key longer than the cap matches no pattern, so its alert is still delivered", () => {
    expect(globMatches("*", "a".repeat(MAX_GLOB_KEY_LENGTH))).toBe(true);
    expect(globMatches("*", "a".repeat(MAX_GLOB_KEY_LENGTH + 1))).toBe(false);
  });

  it("agrees with the reference on small patterns and keys", () => {
    const pattern = fc.string({ unit: fc.constantFrom("a", "b", ".", "*", "\\", "?"), maxLength: 8 });
    const key = fc.string({ unit: fc.constantFrom("a", "b", ".", "*", "\\", "?"), maxLength: 10 });
    fc.assert(fc.property(pattern, key, (p, k) => globMatches(p, k) === reference(p, k)), { numRuns: 5000 });
  });
});

// A regex compiled from the glob backtracks through every way of splitting the key among the
// stars: ≈ C(key + stars, stars) steps. The reported pattern took 10–20 s; the next case takes
// minutes, past the test timeout, and the last one longer than the universe has existed. They
// go through silenceMatches, the entry point the alert store calls on every firing.
describe("patterns that made a regex backtrack", () => {
  const matches = (objectPattern: string, objectKey: string) => silenceMatches({ objectPattern }, { rule: "slow_query", targetId: "prod", objectKey });

  it("the reported pattern against a 16-character fingerprint", () => {
    expect(matches("*****************X", "0123456789abcdef")).toBe(false);
    expect(matches("*****************X", "0123456789abcdeX")).toBe(true);
  });

  it("21 stars against 20 characters", () => {
    expect(matches(`${"*".repeat(21)}X`, "a".repeat(20))).toBe(false);
  });

  it("a 301-character pattern of alternating stars against a 1000-character key", () => {
    const pattern = `${"*a".repeat(150)}X`;
    expect(matches(pattern, "a".repeat(1000))).toBe(false);
    expect(matches(pattern, `${"a".repeat(1000)}X`)).toBe(true);
    expect(matches(pattern, `${"a".repeat(149)}X`)).toBe(false);
  });
});
