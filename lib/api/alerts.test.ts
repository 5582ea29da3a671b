import { describe, expect, it } from "vitest";
import { silenceCreateSchema } from "./alerts";
import { alertListUrl } from "@/lib/api/urls";
import { formatAlertValue, sortAlerts } from "@/lib/api/alert-view";

describe("alerts helpers", () => {
  it("firing then pending, by severity, oldest first", () => {
    const a = [
      { id: "1", state: "resolved", severity: "critical", since: "2025-01-01T00:00:00Z" },
      { id: "2", state: "pending", severity: "critical", since: "2025-01-01T00:00:00Z" },
      { id: "3", state: "firing", severity: "warning", since: "2025-01-01T00:00:00Z" },
      { id: "4", state: "firing", severity: "critical", since: "2025-01-02T00:00:00Z" },
      { id: "5", state: "firing", severity: "critical", since: "2025-01-01T00:00:00Z" },
    ] as const;
    expect(sortAlerts(a).map((x) => x.id)).toEqual(["5", "4", "3", "2", "1"]);
  });
  it("formats by unit; unknown is a dash", () => {
    expect(formatAlertValue(12 * 1024 ** 3, "bytes")).toBe("12 GB");
    expect(formatAlertValue(0.85, "ratio")).toBe("85 %");
    expect(formatAlertValue(1_500_000, "xid")).toBe("1.50 million");
    expect(formatAlertValue(0, "xid")).toBe("0");
    expect(formatAlertValue(87.25, "percent")).toBe("87.3 %");
    expect(formatAlertValue(1500, "ms")).toBe("1.5 s");
    expect(formatAlertValue(301, "seconds")).toBe("5 min 1 s");
    expect(formatAlertValue(0, "count")).toBe("0");
    expect(formatAlertValue(null, "ms")).toBe("—");
  });
  it("a silence needs a matcher and a reason", () => {
    expect(silenceCreateSchema.safeParse({ matchers: {}, endsAt: "2025-01-01T00:00:00Z", reason: "x" }).success).toBe(false);
    expect(silenceCreateSchema.safeParse({ matchers: { rule: "table_size" }, endsAt: "2025-01-01T00:00:00Z", reason: "  " }).success).toBe(false);
    expect(silenceCreateSchema.safeParse({ matchers: { rule: "table_size" }, endsAt: "2025-01-01T00:00:00Z", reason: "maintenance" }).success).toBe(true);
  });
  it("list URL carries repeated states", () => {
    expect(alertListUrl({ state: ["firing", "pending"], rule: "slow_query" })).toBe("/api/alerts?state=firing&state=pending&rule=slow_query");
    expect(alertListUrl({})).toBe("/api/alerts");
  });
});
