import { expect, test } from "./fixtures/test";

// A bloated index — 600k rows, 70 % deleted in scattered ranges, VACUUMed — shows its bloat
// figure, where the figure comes from (estimate or pgstatindex), and the REINDEX to copy.

test("a bloated index shows its figure, its source and the fix", async ({ page, request, targetId: id, targetDb: c }) => {
  test.setTimeout(150_000);
  const table = `e2e_bloat_${Date.now().toString(36)}`;
  const index = `${table}_v_idx`;

  try {
    await c.query(`CREATE TABLE ${table} (id int PRIMARY KEY, v int NOT NULL)`);
    await c.query(`INSERT INTO ${table} SELECT g, g FROM generate_series(1, 600000) g`);
    await c.query(`CREATE INDEX ${index} ON ${table} (v)`);
    // Scattered: 7 of every 10 consecutive keys go, so almost no leaf page empties completely.
    await c.query(`DELETE FROM ${table} WHERE id % 10 < 7`);
    await c.query(`VACUUM (ANALYZE) ${table}`);

    let bloat: { bloatPercent: number; bloatSource: string } | undefined;
    await expect
      .poll(
        async () => {
          const body = await (await request.get(`/api/targets/${id}/indexes`)).json();
          bloat = body.rows.find((r: { index: string }) => r.index === index);
          return bloat?.bloatPercent ?? null;
        },
        { timeout: 120_000, intervals: [2_000] },
      )
      .toBeGreaterThan(50);

    await page.goto(`/targets/${id}/tables?tab=indexes&q=${index}`);
    const panel = page.getByTestId("panel-indexes");
    await expect(panel).toHaveAttribute("data-state", "ready");
    const row = panel.getByTestId(`index-row-public.${index}`);
    await expect(row).toBeVisible();
    // As the page formats it: one decimal, trailing zeros trimmed.
    await expect(row).toContainText(`${bloat!.bloatPercent.toFixed(1).replace(/\.?0+$/, "")} %`);
    const source = row.locator("[data-bloat-source]");
    await expect(source).toHaveAttribute("data-bloat-source", /^(estimate|exact)$/);
    await expect(source).toHaveAttribute("data-bloat-source", bloat!.bloatSource);
    await expect(source).toContainText(bloat!.bloatSource === "exact" ? "exact (pgstatindex)" : "estimate");
    await expect(page.getByTestId(`fix-reindex-public.${index}`)).toContainText(`REINDEX INDEX CONCURRENTLY public.${index};`);
  } finally {
    await c.query(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
  }
});

test("the tables API answers a page no larger than asked for", async ({ request, targetId: id }) => {
  const wholeBody = await (await request.get(`/api/targets/${id}/tables`)).body();
  const whole = JSON.parse(wholeBody.toString());
  const top = whole.rows.filter((r: { parent: string | null }) => r.parent === null).length;
  expect(top).toBeGreaterThan(2);
  const res = await request.get(`/api/targets/${id}/tables?limit=2&sort=size&dir=desc`);
  expect(res.status()).toBe(200);
  const page = await res.json();
  expect(page.page).toEqual({ total: top, offset: 0, limit: 2 });
  expect(page.rows.filter((r: { parent: string | null }) => r.parent === null)).toHaveLength(2);
  // Bounded by the page: its tables, their partitions, and the list's header fields only.
  const pageRows = page.rows.length;
  expect((await res.body()).length).toBeLessThanOrEqual(Math.ceil((wholeBody.length * pageRows) / whole.rows.length) + 2048);
  const bad = await request.get(`/api/targets/${id}/tables?limit=0`);
  expect([bad.status(), (await bad.json()).param]).toEqual([400, "limit"]);
});
