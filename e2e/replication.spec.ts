import { expect, test } from "./fixtures/test";

// The Replication & WAL page on the e2e target, a primary with no standby: the page says so
// honestly, an abandoned physical slot created here shows the WAL it retains as psql measures
// it, and the page reads on a phone and in dark mode.

const exactBytes = (title: string | null) => Number((title ?? "").replace(/[^0-9]/g, ""));

test("no standbys, and a real inactive slot's retained WAL as pg_wal_lsn_diff says", async ({ page, targetId: id, targetSession }) => {
  test.setTimeout(150_000);
  const slot = `e2e_slot_${Date.now().toString(36)}`;
  const c = await targetSession("slot");
  try {
    // Reserving WAL at creation pins restart_lsn now; what is written after is what it retains.
    await c.query("SELECT pg_create_physical_replication_slot($1, true)", [slot]);
    await c.query("CREATE TEMP TABLE e2e_wal AS SELECT g, repeat('w', 200) AS pad FROM generate_series(1, 20000) g");
    const retained = async () =>
      Number((await c.query("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) AS d FROM pg_replication_slots WHERE slot_name = $1", [slot])).rows[0].d);
    const before = await retained();
    expect(before).toBeGreaterThan(1_000_000);

    await page.goto(`/targets/${id}/replication`);
    await expect(page.getByRole("heading", { name: `Replication & WAL · ${id}` })).toBeVisible();
    await expect(page.getByTestId("replication-role")).toHaveAttribute("data-role", "primary");

    const standbys = page.getByTestId("panel-standbys");
    await expect(standbys).toHaveAttribute("data-state", "ready");
    await expect(standbys.getByTestId("standbys-none")).toHaveText("No standby is connected to this primary.");
    // The lag charts have no standby to draw: empty, not a line at 0.
    await expect(page.getByTestId("chart-replay-lag")).toHaveAttribute("data-state", "empty");

    // The slot appears once a sample is taken after the WAL above was written (30 s cadence).
    const cell = page.getByTestId(`slot-row-${slot}`).locator('[title$="bytes"]');
    await expect.poll(async () => exactBytes(await cell.getAttribute("title").catch(() => null)), { timeout: 90_000, intervals: [1_000] }).toBeGreaterThanOrEqual(before);
    const shown = exactBytes(await cell.getAttribute("title"));
    const after = await retained();
    expect(shown).toBeLessThanOrEqual(after);
    const row = page.getByTestId(`slot-row-${slot}`);
    await expect(row).toContainText("physical");
    await expect(row).toContainText("inactive");
    await expect(row).toContainText("reserved");
    await expect(page.getByTestId(`csv-slots-${id}`)).toBeEnabled();

    // WAL and archiving as the e2e server has them: max_wal_size 1 GB, archiving off.
    await expect(page.getByTestId("wal-max-size")).toHaveText("1 GB");
    await expect(page.getByTestId("archiver-status")).toContainText("not configured");
    // setup installed backup_log, and nothing wrote to it.
    await expect(page.getByTestId("backup-none")).toContainText("backup_log holds no successful backup");
  } finally {
    await c.query("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1", [slot]).catch(() => {});
  }
});

test("the replication page fits a 390 px phone and renders in dark mode", async ({ page, targetId: id }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/targets/${id}/replication`);
  await expect(page.getByTestId("panel-standbys")).toHaveAttribute("data-state", "ready");
  await expect(page.getByTestId("panel-slots")).toHaveAttribute("data-state", /ready|stale/);
  await expect(page.locator("html")).toHaveClass(/dark/);
  // A dark panel background (slate-900), not the light card.
  const bg = await page.getByTestId("panel-slots").evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(bg).not.toBe("rgb(255, 255, 255)");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "horizontal scroll on a phone").toBeLessThanOrEqual(0);
  // The nav links the page from every target page.
  await page.goto(`/targets/${id}/live`);
  await page.getByRole("link", { name: "Replication & WAL" }).click();
  await expect(page).toHaveURL(new RegExp(`/targets/${id}/replication`));
});

test("the overview row shows the target's replication figures and links the page", async ({ page, targetId: id }) => {
  test.setTimeout(120_000);
  await page.goto("/");
  const cell = page.getByTestId(`overview-target-${id}-replication`);
  // A primary without standbys: no lag to report (unknown, not 0 s); no backup in backup_log.
  await expect(cell).toContainText("lag —");
  // backups runs every minute on the bulk lane: the first sample may still be due.
  await expect(cell).toContainText("backup none", { timeout: 90_000 });
  await cell.click();
  await expect(page).toHaveURL(new RegExp(`/targets/${id}/replication`));
});
