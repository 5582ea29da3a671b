import { describe, expect, it } from "vitest";
import { badPathSegment } from "./path-guard";

describe("badPathSegment", () => {
  it.each([
    "/api/targets/demo/activity",
    "/api/targets/%E0%A4%9C%E0%A5%8D/activity",
    "/api/alerts/12",
    "/targets/a%20b",
    "/",
  ])("accepts %s", (path) => {
    expect(badPathSegment(path)).toBeNull();
  });

  it.each([
    ["/api/targets/%FF/activity", /"%FF" is not valid percent-encoded UTF-8/],
    ["/api/targets/%C3%28/activity", /"%C3%28" is not valid/],
    // Overlong "/": a classic way past path filters.
    ["/api/alerts/%C0%AF", /"%C0%AF" is not valid/],
    ["/api/targets/%ED%A0%80/activity", /not valid/],
    ["/api/targets/demo%00/activity", /"demo%00" contains a control character/],
    ["/api/channels/a%0Ab/test", /control character/],
    ["/x/%E2%82", /not valid/],
  ])("refuses %s", (path, message) => {
    expect(badPathSegment(path)).toMatch(message);
  });
});
