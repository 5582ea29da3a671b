import { expect, test } from "./fixtures/test";

// The pipe end to end: a real target polled by the collector, stored, and drawn live.

test("the overview lists the seeded target and draws real connection data", async ({ page, targetId: id }) => {
  await page.goto("/");
  const row = page.getByTestId(`overview-target-${id}`);
  await expect(row).toBeVisible();
  await expect(row).toContainText("kundli_db");
  await expect(page.getByTestId(`overview-target-${id}-status`)).toHaveAttribute("data-up", "true");
  await expect(row).toContainText("PostgreSQL 17.");

  const chart = page.getByTestId("chart-connections");
  await expect(chart).toHaveAttribute("data-state", "ready");
  // recharts draws one path per series once it has points.
  await expect(chart.locator("path.recharts-curve").first()).toBeVisible();
});

test("targets API never exposes credentials", async ({ request }) => {
  const body = await (await request.get("/api/targets")).text();
  expect(body).toContain("kundli_db");
  expect(body).not.toContain("e2e-monitor-pw");
  expect(body).not.toMatch(/postgres(ql)?:\/\//);
});
