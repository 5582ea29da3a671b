import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { acceptsGzip, compileReadRoutes, matchReadRoute } from "./read-lane";
import { READ_LANE_ROUTES } from "./read-lane-routes";

const routes = compileReadRoutes(READ_LANE_ROUTES);
const match = (p: string) => {
  const m = matchReadRoute(routes, p);
  return m && { path: m.route.path, params: m.params };
};

describe("read lane route matching", () => {
  it("takes listed routes in canonical form, with plain parameters", () => {
    expect(match("/api/health")).toEqual({ path: "/api/health", params: {} });
    expect(match("/api/alerts/count")).toEqual({ path: "/api/alerts/count", params: {} });
    expect(match("/api/targets/kundli_db-2/activity")).toEqual({ path: "/api/targets/[id]/activity", params: { id: "kundli_db-2" } });
  });

  it("leaves everything else to Next: encoded, dotted, empty or extra segments, unlisted routes", () => {
    for (const p of [
      "/api/targets/%6Bundli/activity",
      "/api/targets/a.b/activity",
      "/api/targets/../activity",
      "/api/targets//activity",
      "/api/targets/x/activity/",
      "/api/health/",
      "//api/health",
      "/api//health",
      "/API/health",
      "/api/targets/x/replication",
      "/api/targets/x/tables/history",
      "/api/alerts/17",
      "/api/targets/x%2Factivity",
      "api/health",
      "",
      `/api/targets/${"a".repeat(129)}/activity`,
    ]) {
      expect(match(p), p).toBeNull();
    }
  });

  it("lists routes that exist under app/api, with the very handler their file exports", async () => {
    for (const r of READ_LANE_ROUTES) {
      const file = path.resolve(`app${r.path}/route.ts`);
      expect(existsSync(file), file).toBe(true);
      const mod = (await import(pathToFileURL(file).href)) as { GET?: unknown };
      expect(mod.GET, r.path).toBe(r.GET);
    }
  });
});

describe("acceptsGzip", () => {
  it("reads the coding list and its weights", () => {
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip("")).toBe(false);
    expect(acceptsGzip("gzip, deflate, br, zstd")).toBe(true);
    expect(acceptsGzip("br;q=1.0, GZIP;q=0.5")).toBe(true);
    expect(acceptsGzip("gzip;q=0")).toBe(false);
    expect(acceptsGzip("gzip; q=0.000")).toBe(false);
    expect(acceptsGzip("deflate, br")).toBe(false);
    expect(acceptsGzip("x-gzip")).toBe(false);
  });
});
