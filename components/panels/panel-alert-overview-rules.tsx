"use client";

import Link from "next/link";
import { BadgeSeverity } from "@/components/ui/badge";
import { LINK } from "@/components/ui/palette";
import { SEVERITY_ORDER } from "@/lib/api/alert-view";
import type { Alert } from "@/lib/api/alerts";
import { parseAlertsParams, serializeAlertsParams } from "@/lib/api/search-params";
import { useAlerts } from "./queries";

// A target's firing alerts by rule for the overview's fleet table: "cache_hit_ratio ×1",
// each a link to the alert (one) or to the alert list filtered to that rule and target (more).
// Every row reads the same query (one request for the whole table).

export interface FiringRule {
  rule: string;
  count: number;
  severity: Alert["severity"];
  /** The alert itself when there is one, else the filtered list. */
  href: string;
}

export function firingRules(alerts: readonly Alert[], targetId: string): FiringRule[] {
  const byRule = new Map<string, Alert[]>();
  for (const a of alerts) if (a.state === "firing" && a.target === targetId) byRule.set(a.rule, [...(byRule.get(a.rule) ?? []), a]);
  return [...byRule.entries()]
    .map(([rule, list]) => ({
      rule,
      count: list.length,
      severity: list.map((a) => a.severity).sort((x, y) => SEVERITY_ORDER[x] - SEVERITY_ORDER[y])[0],
      href:
        list.length === 1
          ? `/alerts/${encodeURIComponent(list[0].id)}`
          : `/alerts?${serializeAlertsParams({ ...parseAlertsParams({}), state: ["firing"], target: targetId, rule })}`,
    }))
    .sort((x, y) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity] || y.count - x.count || x.rule.localeCompare(y.rule));
}

export function OverviewFiringRules({ targetId }: { targetId: string }) {
  const q = useAlerts({ state: ["firing"] });
  if (!q.data) return null;
  const rules = firingRules(q.data.alerts, targetId);
  if (rules.length === 0) return null;
  return (
    <ul className="mt-1 basis-full space-y-0.5 text-xs" data-testid={`overview-firing-rules-${targetId}`}>
      {rules.map((r) => (
        <li key={r.rule} className="flex items-center gap-1" data-testid={`overview-firing-rule-${r.rule}`}>
          <BadgeSeverity severity={r.severity}>{r.severity}</BadgeSeverity>
          <Link href={r.href} className={LINK}>
            {r.rule}
          </Link>
          {r.count > 1 ? <span className="tabular">×{r.count}</span> : null}
        </li>
      ))}
    </ul>
  );
}
