import { expect, test } from "./fixtures/test";

// A slow statement run several times appears as one fingerprint with its count; EXPLAIN refuses
// a DELETE and draws a plan for a SELECT; its refusals name the cause (a volatile function, a
// missing privilege) and the fix.

type Request = import("@playwright/test").APIRequestContext;
type Group = { fingerprint: string; count: number; example: string | null };

/** The slow-statement group over the last hour whose example contains `marker`. */
async function slowGroup(request: Request, id: string, marker: string): Promise<Group | undefined> {
  const to = new Date();
  const q = new URLSearchParams({ from: new Date(to.getTime() - 3_600_000).toISOString(), to: to.toISOString() });
  const body = await (await request.get(`/api/targets/${id}/slow-queries?${q}`)).json();
  return (body.groups as Group[]).find((g) => g.example?.includes(marker));
}

test("a slow statement appears grouped by fingerprint with its count", async ({ page, request, targetId: id, targetDb }) => {
  test.setTimeout(120_000);
  // The alias tells this spec's statement from other specs' pg_sleep.
  for (const s of ["1.2", "1.25", "1.3"]) await targetDb.query(`SELECT pg_sleep(${s}) AS e2e_slow`);

  let fingerprint = "";
  await expect
    .poll(
      async () => {
        const g = await slowGroup(request, id, "e2e_slow");
        fingerprint = g?.fingerprint ?? "";
        return g?.count ?? 0;
      },
      { timeout: 90_000, intervals: [2_000] },
    )
    // Observations, not executions: three calls inside one statistics window are one event.
    .toBeGreaterThanOrEqual(1);

  await page.goto(`/targets/${id}/queries?range=1h`);
  const panel = page.getByTestId("panel-slow-queries");
  await expect(panel).toHaveAttribute("data-state", "ready");
  const row = panel.getByTestId(`slow-group-${fingerprint}`);
  await expect(row).toBeVisible();
  await expect(row).toContainText("pg_sleep");
  const to = new Date();
  const q = new URLSearchParams({ from: new Date(to.getTime() - 3_600_000).toISOString(), to: to.toISOString() });
  const groups = ((await (await request.get(`/api/targets/${id}/slow-queries?${q}`)).json()).groups as Group[]).filter((g) => g.fingerprint === fingerprint);
  // The page's count is the API's (observations in the range), read before it: never more.
  const count = Number((await row.getByRole("cell").nth(1).innerText()).replace(/[^\d]/g, ""));
  expect(count).toBeGreaterThanOrEqual(1);
  expect(count).toBeLessThanOrEqual(groups[0].count);
  // At 24 h the runs share one bucket between empty ones: the mean is drawn as a dot, not a line
  // that never connects (an empty-looking chart).
  await page.goto(`/targets/${id}/queries/${fingerprint}?range=24h`);
  const detail = page.getByTestId("panel-query-detail");
  await expect(detail.locator('svg[data-chart="time"]').first().locator("circle.chart-dot").first()).toBeVisible({ timeout: 20_000 });
});

test("EXPLAIN refuses a DELETE and shows a plan for a SELECT", async ({ page, request, baseURL, targetId: id, targetDb }) => {
  test.setTimeout(120_000);
  // A write from outside the page must prove its origin (CSRF protection), as the page does.
  const headers = { origin: baseURL! };

  const refused = await request.post(`/api/targets/${id}/explain`, { headers, data: { query: "DELETE FROM users", analyze: false } });
  expect(refused.status()).toBe(400);
  expect((await refused.json()).error).toBe("only a single SELECT can be explained");
  const sneaky = await request.post(`/api/targets/${id}/explain`, { headers, data: { query: "WITH d AS (DELETE FROM users RETURNING id) SELECT * FROM d", analyze: true } });
  expect(sneaky.status()).toBe(400);
  // A table the monitoring role may not read: the refusal names it, with the GRANT and the setup option.
  const unreadable = await request.post(`/api/targets/${id}/explain`, { headers, data: { query: "SELECT count(*) FROM birth_charts", analyze: false } });
  expect(unreadable.status()).toBe(403);
  const why = (await unreadable.json()).error as string;
  expect(why).toContain("may not read public.birth_charts: GRANT SELECT ON public.birth_charts TO pgpulse_monitor;");
  expect(why).toContain("npm run setup -- --explain-role pgpulse_explain");

  // A SELECT slow enough to be recorded, then explained from its detail page.
  await targetDb.query("SELECT count(*) FROM generate_series(1::int, 20000000::int) AS g WHERE g % 7::int = 3::int /* e2e-explain */");
  let fingerprint = "";
  await expect
    .poll(
      async () => {
        fingerprint = (await slowGroup(request, id, "e2e-explain"))?.fingerprint ?? "";
        return fingerprint;
      },
      { timeout: 90_000, intervals: [2_000] },
    )
    .not.toBe("");

  await page.goto(`/targets/${id}/queries/${fingerprint}?range=1h`);
  const explain = page.getByTestId("panel-explain");
  await page.getByTestId("explain-button").click();
  await expect(explain).toHaveAttribute("data-state", "ready");
  const plan = explain.getByTestId("plan-view");
  await expect(plan).toBeVisible();
  await expect(plan).toHaveAttribute("data-analyzed", "false");
  await expect(plan).toContainText("Aggregate");
});

test("EXPLAIN ANALYZE of a statement calling pg_sleep is refused on the page, naming the function", async ({ page, request, targetId: id, targetDb }) => {
  test.setTimeout(120_000);
  // Comments do not change a fingerprint: this groups with any other pg_sleep(n) statement.
  await targetDb.query("SELECT pg_sleep(1.2) /* e2e-explain-sleep */");
  let fingerprint = "";
  await expect
    .poll(
      async () => {
        fingerprint = (await slowGroup(request, id, "pg_sleep"))?.fingerprint ?? "";
        return fingerprint;
      },
      { timeout: 90_000, intervals: [2_000] },
    )
    .not.toBe("");

  await page.goto(`/targets/${id}/queries/${fingerprint}?range=1h`);
  const explain = page.getByTestId("panel-explain");
  await explain.getByLabel("Value for $1").fill("0.1");
  await explain.getByTestId("explain-analyze").check();
  await explain.getByTestId("explain-button").click();
  await expect(explain).toHaveAttribute("data-state", "error");
  await expect(explain.getByTestId("explain-error")).toHaveText(
    "pg_sleep is volatile: EXPLAIN ANALYZE would run it; plain EXPLAIN shows the plan without running it",
  );
  // Plain EXPLAIN of the same statement plans it without running pg_sleep.
  await explain.getByTestId("explain-analyze").uncheck();
  await explain.getByTestId("explain-button").click();
  await expect(explain).toHaveAttribute("data-state", "ready");
  await expect(explain.getByTestId("plan-view")).toHaveAttribute("data-analyzed", "false");
});
