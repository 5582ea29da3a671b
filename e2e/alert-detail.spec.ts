import { randomBytes } from "node:crypto";
import pg from "pg";
import { RULE_DEFAULTS } from "@/lib/alerts/rules";
import { expect, test } from "./fixtures/test";
import { e2eSuperuserUrl } from "./fixtures/target-config";

// An alert that says what to do, end to end: a statement really running on the target fires
// slow_query; its detail names it in one sentence, shows "running for", the lines that fire and
// clear it, a chart of the longest running statement with labelled lines that do not overlap,
// and links to the query page and to the running session on the live page. There, cancel and
// terminate say what happened. The document title and the overview carry the firing alert.

const APP_ROLE = "e2e_app";
const APP_PASSWORD = "e2e-app-pw-5d1c";

function appUrl(): string {
  const u = new URL(e2eSuperuserUrl("kundli_db"));
  u.username = APP_ROLE;
  u.password = APP_PASSWORD;
  return u.toString();
}

/** A non-superuser session running `sql` (a superuser's backend can only be signalled by one). */
async function appSession(sql: string, db: pg.Client) {
  const c = new pg.Client({ connectionString: appUrl(), application_name: "e2e-alert-detail" });
  c.on("error", () => {});
  await c.connect();
  const pid = Number((await c.query("SELECT pg_backend_pid() AS pid")).rows[0].pid);
  const done = c.query(sql).then(
    () => "finished",
    (e: { code?: string }) => e.code ?? "error",
  );
  await expect.poll(async () => (await db.query("SELECT state FROM pg_stat_activity WHERE pid = $1", [pid])).rows[0]?.state).toBe("active");
  return { c, pid, done };
}

interface AlertBody {
  id: string;
  rule: string;
  object: string;
  state: string;
}

test("a running slow statement: the detail says what, how much, against which lines, where to look; cancel and terminate say what happened", async ({ page, request, targetDb, targetId }) => {
  test.setTimeout(150_000);
  const marker = `e2e_slow_${randomBytes(4).toString("hex")}`;
  // The monitoring role may signal application sessions once granted pg_signal_backend (the
  // setup says so); the application role reads a table named for this run, so the statement
  // has its own fingerprint.
  await targetDb.query(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN CREATE ROLE ${APP_ROLE} LOGIN PASSWORD '${APP_PASSWORD}'; END IF; END $$`);
  await targetDb.query(`GRANT pg_signal_backend TO pgpulse_monitor`);
  await targetDb.query(`CREATE TABLE ${marker} (x int); INSERT INTO ${marker} VALUES (1); GRANT SELECT ON ${marker} TO ${APP_ROLE}`);
  // Traps every cancel (PL/pgSQL may catch query_canceled): only a terminate ends it.
  await targetDb.query(`CREATE OR REPLACE FUNCTION e2e_stubborn_sleep() RETURNS void LANGUAGE plpgsql AS $f$
    BEGIN FOR i IN 1..600 LOOP BEGIN PERFORM pg_sleep(0.1); EXCEPTION WHEN query_canceled THEN NULL; END; END LOOP; END $f$`);
  const sessions: pg.Client[] = [];
  try {
    const slow = await appSession(`SELECT pg_sleep(90) FROM ${marker}`, targetDb);
    sessions.push(slow.c);

    let alert: AlertBody | undefined;
    await expect
      .poll(
        async () => {
          const body = (await (await request.get("/api/alerts?rule=slow_query&state=firing")).json()) as { alerts: Array<AlertBody & { summary: string | null }> };
          alert = body.alerts.find((a) => a.summary?.includes(marker));
          return alert?.state ?? null;
        },
        { timeout: 60_000, intervals: [1_000] },
      )
      .toBe("firing");
    const id = alert!.id;

    await page.goto(`/alerts/${id}`);
    await expect(page.getByTestId("alert-sentence")).toHaveText(
      new RegExp(`^Query slower than the threshold \\(slow_query\\) is firing for statement fingerprint ${alert!.object} on .+: the statement is still running \\(pid ${slow.pid}\\)\\.$`),
    );
    // Fired at the first sighting, running for longer now; the lines from the rule.
    const lines = page.getByTestId("alert-lines");
    await expect(lines).toHaveText(/^fired at [\d.]+ s · running for (\d+ s|\d+ min( \d+ s)?|[\d.]+ s) · fires above 1 s · clears after 10 min without one$/);
    const hint = RULE_DEFAULTS.slow_query.hint;
    if (hint) await expect(page.getByTestId("alert-hint")).toHaveText(`What to do: ${hint}`);
    else await expect(page.getByTestId("alert-hint")).toHaveCount(0);

    // The chart of the longest running statement, with the threshold and the firing moment labelled apart.
    const chart = page.getByTestId("panel-alert-chart");
    await expect(chart).toHaveAttribute("data-state", "ready");
    const labels = chart.locator("svg text.alert-line-label");
    await expect(labels).toHaveCount(2);
    await expect(labels.nth(0)).toHaveText("fires above 1 s");
    await expect(labels.nth(1)).toHaveText("fired");
    // One series; its samples (a statement seen over a few polls) drawn as a line or as dots.
    await expect(chart.locator("[data-series]")).toHaveCount(1);
    await expect(chart.locator("[data-series] path.chart-line, [data-series] circle.chart-dot").first()).toBeVisible();
    const boxes = await labels.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height })));
    const [a, b] = boxes;
    const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    expect(overlap, `label boxes ${JSON.stringify(boxes)}`).toBe(false);
    if (process.env.E2E_SHOTS) await chart.screenshot({ path: `${process.env.E2E_SHOTS}/alert-chart.png` });

    // The title carries the firing count, the same figure the nav badge shows.
    const badge = page.getByTestId("nav-alert-badge");
    await expect(badge).toHaveAttribute("data-state", "ready");
    const firing = Number(await badge.getAttribute("data-firing"));
    expect(firing).toBeGreaterThan(0);
    await expect(page).toHaveTitle(new RegExp(`^${firing} firing · Alert ${id} · pgpulse$`));

    // Links: the statement's own page, and the running session on the live page.
    await expect(page.getByTestId("alert-link-query")).toHaveAttribute("href", `/targets/${targetId}/queries/${encodeURIComponent(alert!.object)}`);
    await page.getByTestId("alert-link-session").click();
    await expect(page).toHaveURL(new RegExp(`/targets/${targetId}/live\\?pid=${slow.pid}$`));
    await expect(page).toHaveTitle(/^\d+ firing · Live · .+ · pgpulse$/);

    // Cancel: the statement stops, the session stays, and the page says how fast.
    const row = page.getByTestId(`session-row-${slow.pid}`);
    await expect(row).toBeVisible();
    await row.getByTestId(`cancel-${slow.pid}`).click();
    await page.getByTestId("session-action-dialog").getByTestId("confirm-button").click();
    const result = page.getByTestId("session-action-result");
    await expect(result).toHaveAttribute("data-outcome", "ended");
    await expect(result).toHaveText(new RegExp(`^Cancel sent to pid ${slow.pid}: its statement stopped after \\d+ ms; the session is now idle\\.$`));
    expect(await slow.done).toBe("57014");
    // The row was refetched at once: idle now, without waiting for the next poll.
    await expect(row).toContainText("idle", { timeout: 4_000 });
    await page.getByTestId("session-action-close").click();

    // A statement that traps the cancel: said so after the watch; terminate then ends the session.
    const stubborn = await appSession("SELECT e2e_stubborn_sleep()", targetDb);
    sessions.push(stubborn.c);
    const stubbornRow = page.getByTestId(`session-row-${stubborn.pid}`);
    await expect(stubbornRow).toBeVisible();
    await stubbornRow.getByTestId(`cancel-${stubborn.pid}`).click();
    await page.getByTestId("session-action-dialog").getByTestId("confirm-button").click();
    await expect(result).toHaveAttribute("data-outcome", "still_running");
    await expect(result).toHaveText(`Cancel sent to pid ${stubborn.pid}, but its statement was still running 2 s later (it may trap the cancel). Terminate ends the session.`);
    await page.getByTestId("session-action-close").click();
    await stubbornRow.getByTestId(`terminate-${stubborn.pid}`).click();
    await page.getByTestId("session-action-dialog").getByTestId("confirm-button").click();
    await expect(result).toHaveAttribute("data-outcome", "ended");
    await expect(result).toHaveText(new RegExp(`^Terminate sent to pid ${stubborn.pid}: the session ended after \\d+ ms\\.$`));
    expect(await stubborn.done).toBe("57P01");
    // The row is gone at once (the server re-sampled the sessions before answering).
    await expect(stubbornRow).toHaveCount(0, { timeout: 4_000 });
    await page.getByTestId("session-action-close").click();

    // Terminating a pid that is gone: the answer is shown, not a silently closed dialog. The
    // page is paused so the row stays drawn after the session has left.
    await page.getByTestId("live-pause").click();
    await expect(page.getByTestId(`terminate-${slow.pid}`)).toBeVisible();
    await slow.c.end();
    await expect.poll(async () => (await targetDb.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [slow.pid])).rowCount).toBe(0);
    await page.getByTestId(`terminate-${slow.pid}`).click();
    await page.getByTestId("session-action-dialog").getByTestId("confirm-button").click();
    await expect(result).toHaveAttribute("data-outcome", "gone");
    await expect(result).toHaveText(`pid ${slow.pid} had already ended: no signal was sent.`);
    await page.getByTestId("session-action-close").click();

    // The overview lists the firing alert by rule under its target, linking to it.
    await page.goto("/");
    const rule = page.getByTestId(`overview-firing-rules-${targetId}`).getByTestId("overview-firing-rule-slow_query");
    await expect(rule).toBeVisible();
    await expect(page).toHaveTitle(/^\d+ firing · Overview · pgpulse$/);
  } finally {
    await Promise.all(sessions.map((c) => c.end().catch(() => {})));
    await targetDb.query(`DROP TABLE IF EXISTS ${marker}`).catch(() => {});
    await targetDb.query(`REVOKE pg_signal_backend FROM pgpulse_monitor`).catch(() => {});
  }
});
