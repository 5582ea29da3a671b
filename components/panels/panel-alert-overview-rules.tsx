"use client";

import Link from "next/link";
import { Badge, BadgeSeverity } from "@/components/ui/badge";
import { LINK } from "@/components/ui/palette";
import type { OverviewTarget } from "@/lib/api/overview";
import { parseAlertsParams, serializeAlertsParams } from "@/lib/api/search-params";

// A target's firing alerts by rule for the fleet list: "cache_hit_ratio ×2", each a link to the
// alert (one) or to the alert list filtered to that rule and target (more). The grouping comes
// with /api/overview (lib/server/views/overview.ts), so the list costs no request per row.

export function firingRuleHref(targetId: string, r: OverviewTarget["firing"][number]): string {
  return r.alertId !== null
    ? `/alerts/${encodeURIComponent(r.alertId)}`
    : `/alerts?${serializeAlertsParams({ ...parseAlertsParams({}), state: ["firing"], target: targetId, rule: r.rule })}`;
}

export function OverviewFiringRules({ targetId, rules, pending }: { targetId: string; rules: OverviewTarget["firing"]; pending: number }) {
  return (
    <ul className="flex flex-wrap gap-x-2 gap-y-0.5 text-xs" data-testid={`overview-firing-rules-${targetId}`}>
      {rules.map((r) => (
        <li key={r.rule} className="flex min-w-0 items-center gap-1" data-testid={`overview-firing-rule-${r.rule}`}>
          <BadgeSeverity severity={r.severity} />
          {/* A long rule id wraps inside a phone's card instead of running past its edge. */}
          <Link href={firingRuleHref(targetId, r)} className={`${LINK} min-w-0 wrap-anywhere`}>
            {r.rule}
          </Link>
          {r.count > 1 ? <span className="tabular">×{r.count}</span> : null}
        </li>
      ))}
      {pending > 0 ? (
        <li>
          <Badge tone="warn">{pending} pending</Badge>
        </li>
      ) : null}
    </ul>
  );
}
