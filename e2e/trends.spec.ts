import type pg from "pg";
import { expect, test } from "./fixtures/test";

// The weekly page end to end: two weeks of hourly history written into the real store for the
// seeded target, the page drawn with both weeks, and printed to PDF (A4 and Letter).

const HOUR = 3_600_000;
// As ORMs write an IN list: no space to break at, so a printed table must wrap it, not widen.
const LONG_STATEMENT = `SELECT pg_sleep(1.5) FROM users WHERE id IN (${Array.from({ length: 120 }, (_, i) => `$${i + 1}`).join(",")})`;

async function seedHistory(c: pg.Client, targetId: string, prevFrom: string, to: string) {
  await c.query("SELECT pgpulse.ensure_partitions('samples_1h', $1, 2)", [prevFrom]);
  const { rows } = await c.query<{ id: string }>(
    `WITH ins AS (INSERT INTO pgpulse.series (target_id, name, labels, kind) VALUES ($1, 'connections.total', '{}', 'gauge') ON CONFLICT DO NOTHING RETURNING id)
     SELECT id FROM ins UNION ALL SELECT id FROM pgpulse.series WHERE target_id = $1 AND name = 'connections.total' AND labels = '{}'`,
    [targetId],
  );
  const from = Date.parse(prevFrom);
  const cur = from + 7 * 24 * HOUR;
  const hours: Array<[string, number]> = [];
  for (let t = from; t < Date.parse(to); t += HOUR) hours.push([new Date(t).toISOString(), t === cur + 50 * HOUR ? 42 : t < cur ? 20 : 30]);
  await c.query(
    `INSERT INTO pgpulse.samples_1h (series_id, bucket, min, max, sum, count, first_ts, first_value, last_ts, last_value)
     SELECT $1, b::timestamptz, v, v, v, 1, b::timestamptz, v, b::timestamptz, v FROM unnest($2::text[], $3::float8[]) AS u(b, v)
     ON CONFLICT DO NOTHING`,
    [rows[0].id, hours.map((h) => h[0]), hours.map((h) => h[1])],
  );
  await c.query(
    `INSERT INTO pgpulse.slow_query_events (target_id, source, dedupe_key, fingerprint, query, duration_ms, calls, captured_at, last_seen)
     SELECT $1, 'slow_query_log', 'e2e-trends-' || i, 'e2e-fp', $3, 1500, 1, $2::timestamptz + i * interval '1 day' + interval '1 hour', $2::timestamptz + i * interval '1 day' + interval '1 hour'
       FROM generate_series(0, 13) i
     ON CONFLICT DO NOTHING`,
    [targetId, prevFrom, LONG_STATEMENT],
  );
}

test("the API refuses invalid parameters, naming them", async ({ request }) => {
  for (const [qs, param, status] of [
    ["week=2027-W53", "week", 400],
    ["week=2026-48", "week", 400],
    ["tz=Mars%2FOlympus", "tz", 400],
    ["target=nope", undefined, 404],
  ] as const) {
    const r = await request.get(`/api/trends?${qs}`);
    expect(r.status(), qs).toBe(status);
    const body = await r.json();
    if (param) expect(body.param).toBe(param);
  }
});

test("the trends page renders both weeks and prints on A4 and Letter", async ({ page, request, targetId: id, storeDb }) => {
  const first = await (await request.get(`/api/trends?target=${encodeURIComponent(id)}`)).json();
  await seedHistory(storeDb, id, first.previousFrom, first.to);

  await page.goto(`/trends?target=${encodeURIComponent(id)}&week=${first.week}`);
  await expect(page.getByTestId("trends-page")).toHaveAttribute("data-state", "ready");
  await expect(page.getByRole("heading", { name: `Week ${first.week}` })).toBeVisible();
  await expect(page.getByTestId("figure-peak-connections-value")).toHaveText("42");
  await expect(page.getByTestId("figure-peak-connections")).toContainText("last week 20");
  await expect(page.getByTestId("figure-slow-count-value")).toHaveText("7");
  const chart = page.getByTestId("daily-connections");
  await expect(chart).toHaveAttribute("data-state", "ready");
  // Charts load as they come into view, as a reader scrolls to them.
  await chart.scrollIntoViewIfNeeded();
  // Seven bars for each week: both weeks are drawn.
  const bars = chart.locator('[data-chart="bar"] rect.chart-bar');
  await expect(bars).toHaveCount(14);
  await expect(bars.and(chart.locator('[data-series="current"]'))).toHaveCount(7);
  // The legend says which colour is this week, in the colour the bars are drawn with.
  const legend = chart.getByTestId("legend-connections");
  const thisWeek = legend.locator('[data-series="current"]');
  await expect(thisWeek).toHaveText(`${first.week} (this week)`);
  await expect(legend.locator('[data-series="previous"]')).toHaveText(`${first.previousWeek} (last week)`);
  const swatch = await thisWeek.locator("[data-color]").getAttribute("data-color");
  const fills = await bars.evaluateAll((els) => els.map((e) => `${e.getAttribute("data-series")} ${e.getAttribute("fill")}`));
  expect(fills.filter((f) => f === `current ${swatch}`)).toHaveLength(7);
  // The peak day's bar is the tallest, and pointing at it shows both weeks' values for that day.
  const peak = bars.and(chart.locator('[data-value="42"]'));
  await expect(peak).toHaveCount(1);
  const heights = await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute("height"))));
  expect(Number(await peak.getAttribute("height"))).toBe(Math.max(...heights));
  await peak.hover({ force: true });
  const tip = chart.locator("[data-chart-tooltip]");
  await expect(tip).toContainText(`${first.week}42`);
  await expect(tip).toContainText(`${first.previousWeek}20`);
  await page.mouse.move(0, 0);
  await expect(tip).toHaveCount(0);
  await expect(page.getByTestId("trends-summary")).toContainText("Connections peaked at 42");
  await expect(page.getByTestId("table-fingerprints")).toContainText("same");

  // Previous-week navigation keeps the target and changes the URL.
  await page.getByTestId("trends-prev").click();
  await expect(page).toHaveURL(new RegExp(`week=${first.previousWeek}`));
  await expect(page.getByRole("heading", { name: `Week ${first.previousWeek}` })).toBeVisible();
  await page.getByTestId("trends-next").click();
  await expect(page.getByTestId("figure-peak-connections-value")).toHaveText("42");

  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(page.getByTestId("trends-print")).toBeHidden();
  await expect(page.getByTestId("trends-summary")).toBeVisible();
  // Printed, every column of every table stays on the sheet: no table wider than the page.
  const tables = page.locator('[data-testid^="table-"] table');
  expect(await tables.count()).toBeGreaterThan(0);
  const pageBox = (await page.getByTestId("trends-page").boundingBox())!;
  for (const table of await tables.all()) {
    const { scroll, client } = await table.evaluate((t) => ({ scroll: t.scrollWidth, client: t.parentElement!.clientWidth }));
    expect(scroll, "table width in print").toBeLessThanOrEqual(client);
    for (const th of await table.locator("th").all()) {
      const box = (await th.boundingBox())!;
      expect(box.x + box.width, `column "${await th.textContent()}" on the sheet`).toBeLessThanOrEqual(pageBox.x + pageBox.width + 1);
    }
  }
  for (const format of ["A4", "Letter"] as const) {
    const pdf = await page.pdf({ format, printBackground: false });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.length).toBeGreaterThan(20_000);
  }
});
