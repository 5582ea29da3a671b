import { joinSeries } from "@/components/charts/join-series";
import { seriesRuns } from "@/components/charts/svg-paths";
import { fingerprintSql, loadSqlParser } from "@/lib/analysis/sql-text";
import { expect, test } from "./fixtures/test";

// A slow statement run several times appears as one fingerprint with its count; EXPLAIN refuses
// a DELETE and draws a plan for a SELECT; its refusals name the cause (a volatile function, a
// missing privilege) and the fix.

type Request = import("@playwright/test").APIRequestContext;
type Group = { fingerprint: string; count: number; calls: number | null; example: string | null };

/** The slow-statement groups over the last hour. */
async function slowGroups(request: Request, id: string): Promise<Group[]> {
  const to = new Date();
  const q = new URLSearchParams({ from: new Date(to.getTime() - 3_600_000).toISOString(), to: to.toISOString() });
  return (await (await request.get(`/api/targets/${id}/slow-queries?${q}`)).json()).groups as Group[];
}

/** The slow-statement group over the last hour whose example contains `marker`. */
async function slowGroup(request: Request, id: string, marker: string): Promise<Group | undefined> {
  return (await slowGroups(request, id)).find((g) => g.example?.includes(marker));
}

// This spec's statement and the texts the sources give it: the literal caught running or logged,
// $1 from pg_stat_statements. A fingerprint ignores the alias, and so does pg_stat_statements'
// queryid: its entry may carry an earlier pg_sleep's text without it (another spec's). Anchored, so
// other statements naming e2e_slow_<hex> tables do not match.
const SLOW = (s: string) => `SELECT pg_sleep(${s}) AS e2e_slow`;
const SLOW_TEXTS = String.raw`^SELECT pg_sleep\(([0-9.]+|\$1)\)( AS e2e_slow)?$`;

test("a slow statement appears grouped by fingerprint with its count", async ({ page, request, targetId: id, targetDb, storeDb }) => {
  test.setTimeout(120_000);
  // Different literals, one fingerprint: libpg-query's, computed here on its own.
  await loadSqlParser();
  const fingerprint = fingerprintSql(SLOW("1.2"));
  const callsBefore = (await slowGroups(request, id)).find((g) => g.fingerprint === fingerprint)?.calls ?? 0;
  for (const s of ["1.2", "1.25", "1.3"]) await targetDb.query(SLOW(s));

  await expect
    .poll(async () => (await slowGroups(request, id)).find((g) => g.fingerprint === fingerprint)?.calls ?? 0, { timeout: 90_000, intervals: [2_000] })
    // Executions, counted by pg_stat_statements' windows (three calls may share one window).
    .toBeGreaterThanOrEqual(callsBefore + 3);

  // One group for the three literals: every observation of the statement, from every source
  // (caught running with its literal, a pg_stat_statements window with $1), has the one
  // fingerprint, and so does every group the API shows with such a text.
  const seen = await storeDb.query<{ fingerprint: string; source: string }>(
    "SELECT DISTINCT fingerprint, source FROM pgpulse.slow_query_events WHERE target_id = $1 AND query ~ $2 ORDER BY source",
    [id, SLOW_TEXTS],
  );
  expect([...new Set(seen.rows.map((r) => r.fingerprint))]).toEqual([fingerprint]);
  expect(seen.rows.map((r) => r.source)).toContain("pg_stat_statements");
  const shown = (await slowGroups(request, id)).filter((g) => g.example !== null && new RegExp(SLOW_TEXTS).test(g.example));
  expect(shown.map((g) => g.fingerprint)).toEqual([fingerprint]);

  await page.goto(`/targets/${id}/queries?range=1h`);
  const panel = page.getByTestId("panel-slow-queries");
  await expect(panel).toHaveAttribute("data-state", "ready");
  const row = panel.getByTestId(`slow-group-${fingerprint}`);
  await expect(row).toBeVisible();
  await expect(row).toContainText("pg_sleep");
  await expect(panel.getByRole("columnheader", { name: "seen", exact: true })).toHaveAttribute("title", /^Observations in the range/);
  await expect(panel.getByRole("columnheader", { name: "calls", exact: true })).toHaveAttribute("title", /^Executions counted by pg_stat_statements/);
  // The page's figures are the API's, read before it: never more (nothing else runs meanwhile,
  // but a capture may land between the two reads).
  const cellNumber = async (i: number) => Number((await row.getByRole("cell").nth(i).innerText()).replace(/[^\d]/g, ""));
  const [seenOnPage, callsOnPage] = [await cellNumber(1), await cellNumber(2)];
  const group = (await slowGroups(request, id)).find((g) => g.fingerprint === fingerprint)!;
  expect(seenOnPage).toBeGreaterThanOrEqual(1);
  expect(seenOnPage).toBeLessThanOrEqual(group.count);
  expect(callsOnPage).toBeGreaterThanOrEqual(3);
  expect(callsOnPage).toBeLessThanOrEqual(group.calls!);
  // At 24 h (hour buckets) a bucket with runs between empty ones is drawn as a dot, not a line that
  // never connects (an empty-looking chart); adjacent buckets with runs are a line. Which buckets
  // hold runs depends on where they fell against the hour (other specs run the same statement),
  // so the drawing is checked against the API's own mean series, shape by shape.
  await page.goto(`/targets/${id}/queries/${fingerprint}?range=24h`);
  const chart = page.getByTestId("panel-query-detail").locator('svg[data-chart="time"]').first();
  await expect(chart).toBeVisible({ timeout: 20_000 });
  const shapes = async () => {
    const to = new Date();
    const q = new URLSearchParams({ from: new Date(to.getTime() - 86_400_000).toISOString(), to: to.toISOString() });
    const body = (await (await request.get(`/api/targets/${id}/slow-queries/${fingerprint}?${q}`)).json()) as { meanMs: [string, number | null][] };
    const runs = seriesRuns(joinSeries({ mean: body.meanMs }), "mean").map((r) => r.length);
    const drawn = { dots: await chart.locator("circle.chart-dot").count(), lines: await chart.locator("path.chart-line").count() };
    const expected = { dots: runs.filter((n) => n === 1).length, lines: runs.filter((n) => n > 1).length };
    return { drawn, expected };
  };
  await expect
    .poll(
      async () => {
        const { drawn, expected } = await shapes();
        const same = expected.dots + expected.lines > 0 && JSON.stringify(drawn) === JSON.stringify(expected);
        return same ? "as the series" : JSON.stringify({ drawn, expected });
      },
      { timeout: 20_000 },
    )
    .toBe("as the series");
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
