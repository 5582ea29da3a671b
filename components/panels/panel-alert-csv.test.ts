import { describe, expect, it } from "vitest";
import type { Alert } from "@/lib/api/alerts";
import { toCsv } from "@/lib/format/csv";
import { alertCsvColumns } from "./panel-alert-csv";
import { firingRuleHref } from "./panel-alert-overview-rules";

const alert = (over: Partial<Alert>): Alert => ({
  id: "1",
  rule: "slow_query",
  target: "prod",
  object: "fp",
  state: "firing",
  severity: "warning",
  value: 1500,
  threshold: 1000,
  unit: "ms",
  since: "2026-01-01T10:00:00.000Z",
  firedAt: "2026-01-01T10:00:00.000Z",
  resolvedAt: null,
  acknowledgedBy: null,
  acknowledgedAt: null,
  ackComment: null,
  silencedBy: null,
  labels: {},
  summary: null,
  ...over,
});

describe("alert CSV", () => {
  it("names severities and puts each value under its unit's column", () => {
    const rows = [alert({}), alert({ id: "2", rule: "table_size", severity: "critical", unit: "bytes", value: 12e9, threshold: 10e9 }), alert({ id: "3", rule: "target_down", unit: null, value: 0, threshold: 1 })];
    const [header, slow, size, down] = toCsv(rows, alertCsvColumns(rows)).trim().split("\r\n");
    expect(header).toBe("id,state,severity,rule,target,object,value_bytes,threshold_bytes,value_ms,threshold_ms,value_up,threshold_up,since,resolved_at,acknowledged_by,silenced_by,summary");
    expect(slow).toBe("1,firing,warning,slow_query,prod,fp,,,1500,1000,,,2026-01-01T10:00:00.000Z,,,,");
    expect(size).toContain(",critical,table_size,prod,fp,12000000000,10000000000,,,,,");
    expect(down).toContain(",target_down,prod,fp,,,,,0,1,");
  });
});

describe("firing alerts by rule on the overview", () => {
  it("links a rule with one alert to the alert, and one with several to the filtered list", () => {
    expect(firingRuleHref("prod", { rule: "cache_hit_ratio", severity: "warning", count: 1, alertId: "3" })).toBe("/alerts/3");
    expect(firingRuleHref("prod", { rule: "idle_in_transaction", severity: "critical", count: 2, alertId: null })).toBe("/alerts?state=firing&target=prod&rule=idle_in_transaction");
  });
});
