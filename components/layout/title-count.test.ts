import { describe, expect, it } from "vitest";
import { titleWithCount } from "./title-count";

describe("titleWithCount", () => {
  it.each([
    ["pgpulse", 2, "2 firing · pgpulse"],
    ["Overview · pgpulse", 1, "1 firing · Overview · pgpulse"],
    ["3 firing · Overview · pgpulse", 5, "5 firing · Overview · pgpulse"],
    ["3 firing · Overview · pgpulse", 0, "Overview · pgpulse"],
    // Unknown (the count request failed) is not "0 firing" and not a stale number either.
    ["3 firing · pgpulse", null, "pgpulse"],
  ])("%s with %s firing → %s", (title, firing, want) => {
    expect(titleWithCount(title, firing)).toBe(want);
  });
});
