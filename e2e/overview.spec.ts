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
  // A line along each series' run of points, drawn once it has points.
  await expect(chart.locator("path.chart-line").first()).toBeVisible();
  // Pointing at the line's newest point shows its time and the target's value there.
  const line = (await chart.locator("path.chart-line").first().boundingBox())!;
  await page.mouse.move(line.x + line.width - 1, line.y + line.height / 2);
  const tip = chart.locator("[data-chart-tooltip]");
  await expect(tip).toContainText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  await expect(tip).toContainText(/kundli_db\s*\d+/);
  await page.mouse.move(0, 0);
  await expect(tip).toHaveCount(0);
});

test("targets API never exposes credentials", async ({ request }) => {
  const body = await (await request.get("/api/targets")).text();
  expect(body).toContain("kundli_db");
  expect(body).not.toContain("e2e-monitor-pw");
  expect(body).not.toMatch(/postgres(ql)?:\/\//);
});
