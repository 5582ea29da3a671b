import type { Page } from "@playwright/test";
import { formatCompact } from "@/lib/format/number";
import { expect, test } from "./fixtures/test";

// The maintenance page on real conditions made on the e2e target: a table with autovacuum off
// and half its rows deleted, a bigint sequence feeding an integer column near 2^31, a VACUUM
// slowed down by its cost delay so it is caught running, and a CHECKPOINT. Each must show with
// its figures; the statement is only copied, never run.

const TABLE = "e2e_maint_purged";
const SLOW = "e2e_maint_slow";
const LEGACY = "e2e_maint_legacy";
const SEQ = `${LEGACY}_id_seq`;

async function noSidewaysScroll(page: Page): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll, "page width at 390 px").toBeLessThanOrEqual(client);
}

test("lists the table to VACUUM, the sequence near its column's limit, a running vacuum and a checkpoint", async ({ page, context, targetId: id, targetDb: c, targetSession }) => {
  test.setTimeout(150_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const vacuumer = await targetSession("slow-vacuum");
  let vacuumPid: number | null = null;
  try {
    await c.query(`DROP TABLE IF EXISTS ${TABLE}, ${SLOW}, ${LEGACY}`);
    await c.query(`CREATE TABLE ${TABLE} (id int) WITH (autovacuum_enabled = off)`);
    await c.query(`INSERT INTO ${TABLE} SELECT generate_series(1, 40000)`);
    await c.query(`DELETE FROM ${TABLE} WHERE id <= 20000`);
    await c.query(`CREATE TABLE ${LEGACY} (id int NOT NULL)`);
    await c.query(`CREATE SEQUENCE ${SEQ} AS bigint OWNED BY ${LEGACY}.id`);
    await c.query(`SELECT setval('${SEQ}', 2000000000)`);
    await c.query(`GRANT SELECT ON SEQUENCE ${SEQ} TO pgpulse_monitor`);
    await c.query(`CREATE TABLE ${SLOW} (id int, pad text) WITH (autovacuum_enabled = off)`);
    await c.query(`INSERT INTO ${SLOW} SELECT g, repeat('x', 200) FROM generate_series(1, 100000) g`);
    await c.query("SELECT pg_stat_force_next_flush()");
    await c.query("CHECKPOINT");

    // A VACUUM throttled to a page at a time (cost limit 1, 100 ms delay) runs for minutes.
    vacuumPid = (await vacuumer.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid;
    await vacuumer.query("SET vacuum_cost_limit = 1; SET vacuum_cost_delay = 100");
    const vacuuming = vacuumer.query(`VACUUM ${SLOW}`).catch(() => {});

    await page.goto(`/targets/${id}/maintenance`);

    const needs = page.getByTestId("panel-table-needs");
    const row = needs.getByTestId(`vacuum-row-public.${TABLE}`);
    await expect(row).toBeVisible({ timeout: 60_000 });
    await expect(row).toContainText("20k");
    await expect(row).toContainText("(50 %)");
    await expect(row).toContainText("many dead tuples");
    await expect(row.getByTestId("need-sql")).toHaveText(`VACUUM (ANALYZE) public.${TABLE};`);
    await row.getByTestId(`copy-public.${TABLE}`).click();
    await expect(row.getByTestId(`copy-public.${TABLE}`)).toHaveText("Copied");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`VACUUM (ANALYZE) public.${TABLE};`);
    // Copied, not run: the dead rows are still there.
    const dead = await c.query<{ n: string }>(`SELECT n_dead_tup::text AS n FROM pg_stat_user_tables WHERE relname = $1`, [TABLE]);
    expect(dead.rows[0].n).toBe("20000");

    const seq = page.getByTestId("panel-sequences").getByTestId(`sequence-row-public.${SEQ}`);
    await expect(seq).toBeVisible({ timeout: 60_000 });
    await expect(seq.getByTestId("sequence-column")).toHaveText(`public.${LEGACY}.id (integer)`);
    // 2,000,000,000 of 2,147,483,647: the integer column, not the bigint sequence, is the limit.
    await expect(seq.getByTestId("sequence-percent")).toHaveText("93.13 %");
    await expect(seq.getByTestId("sequence-values")).toHaveText("2000000000 / 2147483647");
    await expect(seq.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "93.1");

    const vac = page.getByTestId("panel-vacuums").getByTestId(`vacuum-row-public.${SLOW}`);
    await expect(vac).toBeVisible({ timeout: 60_000 });
    await expect(vac).toContainText("manual");
    await expect(vac.getByTestId("vacuum-phase")).toHaveText("scanning heap");
    const total = (await c.query<{ n: string }>(`SELECT pg_relation_size($1) / current_setting('block_size')::int AS n`, [SLOW])).rows[0].n;
    // heap_blks_total is the table's size in blocks when the vacuum started.
    await expect(vac).toContainText(`/ ${formatCompact(Number(total))}`);
    await expect(vac.getByRole("progressbar")).toHaveAttribute("aria-valuenow", /^\d+(\.\d)?$/);

    const ckpt = page.getByTestId("panel-checkpoints");
    await expect(ckpt).toHaveAttribute("data-state", "ready");
    await expect
      .poll(async () => Number(await ckpt.getByTestId("checkpoints-requested").locator("span.tabular").first().textContent()), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(1);
    await expect(ckpt.getByTestId("checkpoints-backend")).toContainText("pg_stat_io");

    // The window is URL state.
    await ckpt.getByTestId("range-24h").click();
    await expect(page).toHaveURL(/[?&]window=24h/);
    await expect(ckpt).toContainText("over the last 24h");

    // Phone width: no sideways scroll, the key figures still on screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await noSidewaysScroll(page);
    for (const [what, el] of [
      ["the copy button", row.getByTestId(`copy-public.${TABLE}`)],
      ["the share of the sequence used", seq.getByTestId("sequence-percent")],
      ["the vacuum's phase", vac.getByTestId("vacuum-phase")],
    ] as const) {
      const box = await el.boundingBox();
      expect(box!.x + box!.width, `${what} fits on a phone`).toBeLessThanOrEqual(390);
    }

    // Dark mode renders: the panels take the dark surface.
    const surface = () => page.getByTestId("panel-sequences").evaluate((el) => getComputedStyle(el).backgroundColor);
    const light = await surface();
    await page.getByTestId("theme-toggle").click();
    await expect(page.locator("html")).toHaveClass(/dark/);
    expect(await surface()).not.toBe(light);
    await expect(page.getByTestId("panel-sequences")).toHaveAttribute("data-state", "ready");
    await noSidewaysScroll(page);
    await page.evaluate(() => localStorage.removeItem("pgpulse-theme"));

    await c.query("SELECT pg_cancel_backend($1)", [vacuumPid]);
    await vacuuming;
  } finally {
    if (vacuumPid !== null) await c.query("SELECT pg_cancel_backend($1)", [vacuumPid]).catch(() => {});
    await c.query(`DROP TABLE IF EXISTS ${TABLE}, ${SLOW}, ${LEGACY}`).catch(() => {});
  }
});

test("the window and filter come from the URL, and a wrong window is refused naming it", async ({ page, request, targetId: id }) => {
  await page.goto(`/targets/${id}/maintenance?window=6h&q=no_such_table_xyz`);
  await expect(page.getByTestId("range-6h")).toHaveAttribute("aria-checked", "true");
  await expect(page.getByTestId("needs-vacuum")).toContainText("No table matches the filter.");
  await expect(page.getByRole("link", { name: "Maintenance" })).toHaveAttribute("aria-current", "page");
  const bad = await request.get(`/api/targets/${id}/maintenance?window=5m`);
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toMatchObject({ param: "window" });
});
