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

test("the tables page asks the server for one page, and sends sort, search and CSV to it", async ({ page, request, targetId: id }) => {
  const asked: URL[] = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.pathname === `/api/targets/${id}/tables` || u.pathname === `/api/targets/${id}/indexes`) asked.push(u);
  });
  const last = (what: "tables" | "indexes") => asked.filter((u) => u.pathname.endsWith(`/${what}`)).at(-1);

  await page.goto(`/targets/${id}/tables`);
  const panel = page.getByTestId("panel-tables");
  await expect(panel).toHaveAttribute("data-state", "ready");
  // Every request is a page, by size, over the range's key (one cached answer for every viewer).
  expect(asked.length).toBeGreaterThan(0);
  for (const u of asked) {
    expect(Object.fromEntries(u.searchParams)).toMatchObject({ limit: "50", offset: "0", sort: "size", dir: "desc", range: "24h" });
    expect(u.searchParams.has("from")).toBe(false);
  }

  // Sorting by a column asks the server, and shows its order.
  await panel.getByRole("columnheader", { name: "dead tuples" }).getByRole("button").click();
  await expect.poll(() => last("tables")?.searchParams.get("sort")).toBe("dead");
  expect(last("tables")!.searchParams.get("limit")).toBe("50");
  await expect(page).toHaveURL(/[?&]sort=dead(&|$)/);
  await expect
    .poll(async () => {
      const body = await (await request.get(`/api/targets/${id}/tables?range=24h&limit=50&sort=dead&dir=desc`)).json();
      const top = body.rows.find((r: { parent: string | null }) => r.parent === null);
      const shown = await panel.locator('[data-testid^="table-row-"]').first().getAttribute("data-testid");
      return shown === `table-row-${top.schema}.${top.table}`;
    })
    .toBe(true);

  // Search goes to the server too, from the first page.
  const filter = panel.getByLabel("Filter tables");
  // Typed a key at a time, it asks when the typing settles, not for every prefix of the word.
  await filter.pressSequentially("e2e_no_such_table_x", { delay: 20 });
  await expect.poll(() => last("tables")?.searchParams.get("q")).toBe("e2e_no_such_table_x");
  expect(asked.filter((u) => u.searchParams.get("q")?.startsWith("e")).length).toBeLessThan(5);
  await expect(panel.locator('[data-testid^="table-row-"]')).toHaveCount(0);
  await expect(panel.getByText("0 rows")).toBeVisible();
  await filter.fill("");

  // The CSV is every matching row from the server, sorted as shown — not the page.
  const href = await panel.getByTestId(`csv-tables-${id}`).getAttribute("href");
  const csvUrl = new URL(href!, page.url());
  expect(Object.fromEntries(csvUrl.searchParams)).toMatchObject({ format: "csv", sort: "dead", dir: "desc", range: "24h" });
  expect(csvUrl.searchParams.has("limit")).toBe(false);
  const csv = await request.get(csvUrl.pathname + csvUrl.search);
  expect(csv.headers()["content-type"]).toMatch(/^text\/csv/);

  // The indexes tab: flag, sort and search go to the server with the page size.
  await page.goto(`/targets/${id}/tables?tab=indexes&flag=unused&sort=scans&dir=asc&q=pkey`);
  await expect(page.getByTestId("panel-indexes")).toHaveAttribute("data-state", "ready");
  expect(Object.fromEntries(last("indexes")!.searchParams)).toMatchObject({ limit: "50", offset: "0", sort: "scans", dir: "asc", q: "pkey", flag: "unused" });
});

test("over a week, the tables page says what the write rates cover instead of a bare dash", async ({ page, request, targetId: id }) => {
  // The store holds minutes of this target's history, not a week: the rates cover what it has
  // (or need a second sample), and the page says which, as the API does.
  const body = await (await request.get(`/api/targets/${id}/tables?from=${new Date(Date.now() - 7 * 86_400_000).toISOString()}`)).json();
  expect(body.ratesNote).toMatch(/^write rates (over the last .+ of the range: the stored samples with write counters begin there|need two samples in the range: .+)$/);
  await page.goto(`/targets/${id}/tables?range=7d`);
  const panel = page.getByTestId("panel-tables");
  await expect(panel).toHaveAttribute("data-state", "ready");
  await expect(panel).toContainText(/write rates (over the last|need two samples in the range)/);
});
