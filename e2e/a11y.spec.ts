import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { PAGES, readySelector } from "./fixtures/pages";
import { expect, test } from "./fixtures/test";

// Every page through axe-core, light and dark: no serious or critical violation. Pages are
// checked once their panels have data, so what is audited is what a user reads.


async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(" ")} ${n.html.slice(0, 160)}`).slice(0, 5).join(" | ")}`);
}

for (const scheme of ["light", "dark"] as const) {
  for (const p of PAGES) {
    test(`${p.name} has no serious accessibility violation (${scheme})`, async ({ page, targetId }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(p.path(targetId));
      await expect(page.locator("html")).toHaveClass(scheme === "dark" ? /dark/ : /^(?!.*dark)/);
      // Audit what a user reads: the page's main panel past its loading state.
      await expect(page.locator(readySelector(p)).first()).toBeVisible({ timeout: 20_000 });
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
}

test("a skip link is the first tab stop and moves focus to the main content", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await skip.press("Enter");
  await expect(page.locator("main")).toBeFocused();
});

test("charts take no tab stop", async ({ page }) => {
  await page.goto("/");
  const chart = page.getByTestId("chart-connections");
  await expect(chart.locator("path.chart-line").first()).toBeVisible();
  const focusable = await chart.evaluate(
    (el) => el.querySelectorAll('[tabindex]:not([tabindex="-1"]), a[href], button, input, select, textarea').length,
  );
  expect(focusable).toBe(0);
});
