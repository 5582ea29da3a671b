import { randomBytes } from "node:crypto";
import { expect, test } from "./fixtures/test";

// The on-call loop end to end: a slow statement recorded in the target's slow_query_log is
// collected (every 15 s), fires slow_query at once, shows on the panel, and is acknowledged
// through the UI. Auth is off, so the acting user is the local admin "local".

const APP_ORIGIN = `http://127.0.0.1:${Number(process.env.E2E_APP_PORT ?? 3100)}`;

interface AlertBody {
  id: string;
  rule: string;
  state: string;
  summary: string | null;
  acknowledgedBy: string | null;
  ackComment: string | null;
}

test("a slow statement fires slow_query on the panel and a responder acknowledges it", async ({ page, request, targetDb }) => {
  // One alert per fingerprint: a column named after the run gives this statement its own
  // fingerprint (an alias would not: fingerprints ignore aliases), so a retry on the same
  // server is not folded into the alert of an earlier attempt.
  const marker = `e2e_${randomBytes(4).toString("hex")}`;
  await targetDb.query(`INSERT INTO slow_query_log (query_text, execution_time) VALUES ($1, interval '1.5 s')`, [
    `SELECT ${marker} FROM birth_charts WHERE user_id = 42`,
  ]);

  let alert: AlertBody | undefined;
  await expect
    .poll(
      async () => {
        const res = await request.get("/api/alerts?rule=slow_query&state=firing");
        const body = (await res.json()) as { alerts: AlertBody[] };
        alert = body.alerts.find((a) => a.summary?.includes(marker));
        return alert?.state ?? null;
      },
      { timeout: 60_000, intervals: [1_000] },
    )
    .toBe("firing");
  const id = alert!.id;
  expect(alert!.summary).toMatch(/^Statement took 1\.5 s \(threshold 1 s\): /);

  await page.goto("/alerts");
  const row = page.getByTestId(`alert-row-${id}`);
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute("data-state", "firing");
  await expect(row).toContainText(marker);

  const comment = `looking into ${marker}`;
  await row.getByTestId("ack-button").click();
  // Each row owns its dialog (closed ones stay in the DOM): take this row's.
  const dialog = row.getByTestId("ack-dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByTestId("ack-comment").fill(comment);
  await dialog.getByTestId("ack-submit").click();

  const ackBy = row.getByTestId("ack-by");
  await expect(ackBy).toContainText("local");
  await expect(ackBy).toHaveAttribute("title", comment);
  await expect(row.getByTestId("ack-button")).toHaveCount(0);

  // The store has it, with the acknowledgement in the event history.
  const detail = (await (await request.get(`/api/alerts/${id}`)).json()) as { alert: AlertBody; events: Array<{ note: string | null }> };
  expect(detail.alert).toMatchObject({ acknowledgedBy: "local", ackComment: comment });
  expect(detail.events.map((e) => e.note)).toContain(`acknowledged by local: ${comment}`);
});

test("the alert API answers bad input with 4xx naming the field, never 500", async ({ request }) => {
  const headers = { origin: APP_ORIGIN, "content-type": "application/json" };
  const post = (url: string, data: unknown) => request.post(url, { headers, data });

  const badId = await post("/api/alerts/abc/ack", { comment: "x" });
  expect(badId.status()).toBe(400);
  expect(await badId.json()).toMatchObject({ param: "id" });

  const missing = await post("/api/alerts/999999999/ack", { comment: "x" });
  expect(missing.status()).toBe(404);

  expect((await request.get("/api/alerts?state=burning")).status()).toBe(400);
  expect((await request.get("/api/alerts/999999999")).status()).toBe(404);
  expect((await request.get("/api/notifications?alert=x")).status()).toBe(400);

  const past = await post("/api/silences", { matchers: { rule: "slow_query" }, endsAt: new Date(Date.now() - 60_000).toISOString(), reason: "too late" });
  expect(past.status()).toBe(400);
  expect(await past.json()).toMatchObject({ param: "endsAt" });
  const tooLong = await post("/api/silences", { matchers: { rule: "slow_query" }, endsAt: new Date(Date.now() + 31 * 86_400_000).toISOString(), reason: "forever" });
  expect(tooLong.status()).toBe(400);
  expect(await tooLong.json()).toMatchObject({ param: "endsAt" });
  const noMatcher = await post("/api/silences", { matchers: {}, endsAt: new Date(Date.now() + 3_600_000).toISOString(), reason: "x" });
  expect(noMatcher.status()).toBe(400);
  expect(await noMatcher.json()).toMatchObject({ param: "matchers" });

  // A silence made and expired through the API; expiring it twice is a conflict.
  const created = await post("/api/silences", { matchers: { rule: "table_size", target: "default" }, endsAt: new Date(Date.now() + 3_600_000).toISOString(), reason: "e2e window" });
  expect(created.status()).toBe(201);
  const { silence } = (await created.json()) as { silence: { id: string; createdBy: string; active: boolean } };
  expect(silence).toMatchObject({ createdBy: "local", active: true });
  expect((await request.delete(`/api/silences/${silence.id}`, { headers: { origin: APP_ORIGIN } })).status()).toBe(200);
  expect((await request.delete(`/api/silences/${silence.id}`, { headers: { origin: APP_ORIGIN } })).status()).toBe(409);

  expect((await post("/api/channels/nope/test", {})).status()).toBe(404);
  const settings = await (await request.get("/api/settings")).text();
  expect(settings).toContain('"slow_query"');
  expect(settings).not.toMatch(/postgres(ql)?:\/\/|e2e-monitor-pw/);
});
