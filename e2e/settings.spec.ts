import { RULE_DEFAULTS } from "@/lib/alerts/rules";
import { RULE_IDS } from "@/lib/alerts/types";
import { expect, test } from "./fixtures/test";

// The settings page lists every alert rule with what to do when it fires, and the line where
// it turns critical for the rules that have one.

test("each rule shows its hint, and its critical line where it has one", async ({ page }) => {
  await page.goto("/settings");
  const panel = page.getByTestId("panel-rules");
  await expect(panel).toHaveAttribute("data-state", "ready");
  for (const id of RULE_IDS) {
    await expect(panel.getByTestId(`rule-hint-${id}`), id).toHaveText(`What to do: ${RULE_DEFAULTS[id].hint}`);
    const critical = panel.getByTestId(`rule-critical-${id}`);
    if (RULE_DEFAULTS[id].critical === undefined) await expect(critical, id).toHaveCount(0);
    else await expect(critical, id).toBeVisible();
  }
  await expect(panel.getByTestId("rule-critical-replication_lag")).toHaveText("critical past 5 min");
  await expect(panel.getByTestId("rule-critical-sequence_exhaustion")).toHaveText("critical past 90 %");
});
