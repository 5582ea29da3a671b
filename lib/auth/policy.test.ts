import { describe, expect, it } from "vitest";
import { allows, matchPattern, POLICY, requiredAccess, ruleFor } from "./policy";

describe("route × role policy", () => {
  // Every row, by its own example: the row a request hits is the row that names it.
  it.each(POLICY.map((r, i) => [i, r] as const))("row %i %o is reached by its example", (_i, rule) => {
    const methods = rule.methods === "*" ? ["GET", "POST", "OPTIONS"] : rule.methods;
    for (const m of methods) {
      if (rule.methods === "*" && ruleFor(m, rule.example, rule.variant) !== rule) continue; // an earlier, narrower row wins
      expect(ruleFor(m, rule.example, rule.variant)).toBe(rule);
    }
  });

  it.each([
    ["GET", "/", "viewer"],
    ["GET", "/targets/prod/live", "viewer"],
    ["GET", "/login", "public"],
    ["POST", "/login", "public"],
    ["GET", "/api/health", "public"],
    ["HEAD", "/api/health", "public"],
    ["POST", "/api/health", "admin"],
    ["POST", "/api/auth/login", "public"],
    ["GET", "/api/auth/login", "viewer"],
    ["POST", "/api/auth/logout", "public"],
    ["GET", "/api/auth/me", "viewer"],
    ["GET", "/api/metrics", "viewer"],
    ["GET", "/api/targets", "viewer"],
    ["GET", "/api/targets/prod/sessions", "viewer"],
    ["GET", "/api/alerts", "viewer"],
    ["POST", "/api/alerts/42/ack", "responder"],
    ["POST", "/api/alerts/42/ack/extra", "admin"],
    ["POST", "/api/silences", "responder"],
    ["DELETE", "/api/silences", "responder"],
    ["DELETE", "/api/silences/7", "responder"],
    ["PUT", "/api/silences/7", "admin"],
    // No such route: an unlisted write, so the strictest role.
    ["POST", "/api/explain", "admin"],
    ["POST", "/api/targets/prod/explain", "responder"],
    ["POST", "/api/targets/prod/sessions/123/cancel", "admin"],
    ["POST", "/api/targets/prod/sessions/123/terminate", "admin"],
    ["POST", "/api/notifications/test", "admin"],
    ["PUT", "/api/settings/rules", "admin"],
    ["PATCH", "/api/settings", "admin"],
    ["GET", "/api/settings", "viewer"],
    ["POST", "/api/something-new", "admin"],
    ["OPTIONS", "/api/targets", "viewer"],
    ["get", "/api/health", "public"],
  ])("%s %s → %s", (method, path, access) => {
    expect(requiredAccess(method, path)).toBe(access);
  });

  it("EXPLAIN ANALYZE needs admin when the handler names the variant", () => {
    expect(requiredAccess("POST", "/api/targets/prod/explain", "analyze")).toBe("admin");
    expect(requiredAccess("POST", "/api/targets/prod/explain")).toBe("responder");
  });

  it("the metrics row accepts a bearer token, no other row does", () => {
    expect(POLICY.filter((r) => r.bearer).map((r) => r.pattern)).toEqual(["/api/metrics"]);
  });

  it("matches patterns by whole segments", () => {
    expect(matchPattern("/api/**", "/api")).toBe(true);
    expect(matchPattern("/api/**", "/apix")).toBe(false);
    expect(matchPattern("/api/alerts/:id/ack", "/api/alerts//ack")).toBe(false);
    expect(matchPattern("/login", "/login/")).toBe(true);
    expect(matchPattern("/login", "/loginx")).toBe(false);
  });

  it("orders roles", () => {
    expect(allows("public", null)).toBe(true);
    expect(allows("viewer", null)).toBe(false);
    expect(allows("responder", "viewer")).toBe(false);
    expect(allows("responder", "responder")).toBe(true);
    expect(allows("responder", "admin")).toBe(true);
    expect(allows("admin", "responder")).toBe(false);
  });
});

describe("docs/SECURITY.md", () => {
  it("prints every policy row", async () => {
    const { readFile } = await import("node:fs/promises");
    const doc = await readFile(new URL("../../docs/SECURITY.md", import.meta.url), "utf8");
    for (const r of POLICY) {
      const line = `| ${r.methods === "*" ? "any" : r.methods.join(", ")} | \`${r.pattern}\`${r.variant ? ` (${r.variant})` : ""} | ${r.access}${r.bearer ? " or bearer token" : ""} | ${r.note} |`;
      expect(doc, line).toContain(line);
    }
  });
});
