import type { Page } from "@playwright/test";
import { PAGES, readySelector } from "./fixtures/pages";
import { expect, test } from "./fixtures/test";

// At 390 × 844 (a phone held upright) no page scrolls sideways, and the data tables show their
// key figures as cards: a row's name with its figures labelled under it.

test.use({ viewport: { width: 390, height: 844 } });


/** How far the page is wider than the screen, and the element reaching furthest right (for the message). */
async function sidewaysOverflow(page: Page): Promise<{ px: number; widest: string }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    let widest = "";
    let right = width;
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect().right;
      if (r > right) {
        right = r;
        widest = `${el.tagName.toLowerCase()}.${String(el.getAttribute("class") ?? "").split(" ").slice(0, 4).join(".")} [${el.getAttribute("data-testid") ?? ""}] ${Math.round(r)}px`;
      }
    }
    return { px: document.documentElement.scrollWidth - width, widest };
  });
}

for (const scheme of ["light", "dark"] as const) {
  for (const p of PAGES) {
    test(`${p.name} does not scroll sideways on a phone (${scheme})`, async ({ page, targetId }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(p.path(targetId));
      await expect(page.locator(readySelector(p)).first()).toBeVisible({ timeout: 20_000 });
      const o = await sidewaysOverflow(page);
      expect(o.px, `px wider than the screen; widest: ${o.widest}`).toBeLessThanOrEqual(0);
    });
  }
}

test("live sessions show pid, state and query time as a card on a phone", async ({ page, targetId, targetSession }) => {
  const s = await targetSession("phone-card");
  const pid = (await s.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid;
  void s.query("SELECT pg_sleep(30)").catch(() => {});
  await page.goto(`/targets/${targetId}/live`);
  const card = page.getByTestId(`session-row-${pid}`);
  await expect(card).toBeVisible({ timeout: 20_000 });
  await expect(card).toHaveAttribute("role", "listitem");
  for (const label of ["state", "query time", "query"]) await expect(card.locator("dt", { hasText: label }).first()).toBeVisible();
  await expect(card).toContainText("pg_sleep(30)");
  const box = await card.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
});

test("tables show size and dead tuples as cards on a phone, sortable from a menu", async ({ page, targetId }) => {
  await page.goto(`/targets/${targetId}/tables`);
  const first = page.locator('[data-testid^="table-row-"]').first();
  await expect(first).toBeVisible({ timeout: 20_000 });
  await expect(first.locator("dt", { hasText: "dead tuples" })).toBeVisible();
  await expect(first.locator("dt", { hasText: "size" }).first()).toBeVisible();
  await expect(page.getByRole("combobox", { name: "sort" }).first()).toBeVisible();
});
