"use client";

import { useSettings } from "./queries";

/** A rule's threshold for one target as configured (its override, else the rule's), or null while unknown. */
export function useRuleLine(ruleId: string, targetId: string): number | null {
  const rule = useSettings().data?.rules.find((r) => r.id === ruleId);
  return rule?.overrides.find((o) => o.target === targetId)?.threshold ?? rule?.threshold ?? null;
}
