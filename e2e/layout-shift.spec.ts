import { randomBytes } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import type pg from "pg";
import { layoutShifts, recordLayoutShifts, untilPageTime } from "./fixtures/layout-shift";
import { PAGES, readySelector } from "./fixtures/pages";
import { expect, test } from "./fixtures/test";

// The first data must not move the page: every panel's loading, empty, failed and loaded states
// occupy the same box, headers do not grow with their text, and what sits below a list as long
// as its data shows once that list is drawn. Measured over the first seconds after navigation
// (through the first data) on a phone and a desktop, against Google's "good".

const GOOD_CLS = 0.1;
/** Long enough for the first answers of every panel in view and the re-render they cause. */
const WATCH_MS = 3_000;
/** After the main panel shows data, time for its neighbours' answers to land too. */
const SETTLE_MS = 1_500;

const VIEWPORTS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1440, height: 900 },
] as const;

/** A firing alert, so the alerts page's active list has rows, as it has when anyone looks. */
async function ensureFiringAlert(targetDb: pg.Client, request: APIRequestContext): Promise<void> {
  const firing = async () => ((await (await request.get("/api/alerts?state=firing")).json()) as { alerts: unknown[] }).alerts.length;
  if ((await firing()) > 0) return;
  // A statement of its own fingerprint (see alerts.spec.ts) recorded as slow fires slow_query.
  await targetDb.query(`INSERT INTO slow_query_log (query_text, execution_time) VALUES ($1, interval '1.5 s')`, [
    `SELECT e2e_cls_${randomBytes(4).toString("hex")} FROM birth_charts WHERE user_id = 7`,
  ]);
  await expect.poll(firing, { timeout: 60_000, intervals: [1_000] }).toBeGreaterThan(0);
}

for (const v of VIEWPORTS) {
  test.describe(`${v.name} ${v.width}x${v.height}`, () => {
    test.use({ viewport: { width: v.width, height: v.height } });
    for (const p of PAGES) {
      test(`${p.name} does not shift while its data arrives`, async ({ page, targetId, targetDb, request }) => {
        if (p.name === "alerts") await ensureFiringAlert(targetDb, request);
        await recordLayoutShifts(page);
        await page.goto(p.path(targetId));
        await expect(page.locator(readySelector(p)).first()).toBeVisible({ timeout: 20_000 });
        const readyAt = await page.evaluate(() => performance.now());
        await untilPageTime(page, Math.max(WATCH_MS, readyAt + SETTLE_MS));
        const { total, shifts } = await layoutShifts(page);
        const detail = shifts.map((s) => `${s.value.toFixed(3)} at ${s.atMs} ms: ${s.sources.join("; ")}`).join("\n");
        expect(total, `${p.name} at ${v.width}x${v.height} shifted:\n${detail}`).toBeLessThanOrEqual(GOOD_CLS);
      });
    }
  });
}
