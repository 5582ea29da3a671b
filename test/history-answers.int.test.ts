import { describe, expect, it } from "vitest";
import { GET as alertsGET } from "@/app/api/alerts/route";
import { GET as seriesGET } from "@/app/api/targets/[id]/series/route";
import { createSilence } from "@/lib/alerts/actions";
import { PEER_HEADER } from "@/lib/auth/peer";
import { historyAnswerCounts } from "@/lib/server/views/history-answers";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { useRouteTestRuntime } from "@/test/support/route-runtime";
import { until } from "@/test/support/wait";

// Series and the alert list are shared by the viewers asking the same thing: a chart of the last
// hour asked by two viewers a few milliseconds apart is read once, until the next sample of its
// metric lands; the alert list is read once until the alerts or silences change. The collector
// runs for real; db_stats (behind tps) only lands when runNow() asks.

const ID = "hist";
const HOUR = 3_600_000;

describe("history answers are shared until what they read changes", () => {
  let rt: Pgpulse;
  useRouteTestRuntime(
    { id: ID, prefix: "hist", intervals: { server: 1_000, db_stats: HOUR }, prepare: async () => {} },
    (fx) => ({ rt } = fx),
  );

  const ctx = { params: Promise.resolve({ id: ID }) };
  const get = async (handler: (r: Request, c: typeof ctx) => Promise<Response>, path: string) => {
    const res = await handler(req(`http://127.0.0.1/api${path}`), ctx);
    expect(res.status, path).toBe(200);
    return res.text();
  };
  const lastHour = (offsetMs: number) => {
    const to = Date.now() + offsetMs;
    return `/targets/${ID}/series?metric=tps&from=${new Date(to - HOUR).toISOString()}&to=${new Date(to).toISOString()}`;
  };

  it("reads a series of the last hour once per sample, and a past window once", async () => {
    await until("the first db_stats sample", () => rt.snapshot(ID)?.metrics.db_stats?.status === "ok", 45_000);
    let before = historyAnswerCounts().series;
    const [a, b] = await Promise.all([get(seriesGET, lastHour(0)), get(seriesGET, lastHour(-7))]);
    const c = await get(seriesGET, `/targets/${ID}/series?metric=tps`);
    let after = historyAnswerCounts().series;
    expect({ builds: after.builds - before.builds, hits: after.hits - before.hits }).toEqual({ builds: 1, hits: 2 });
    expect(b).toBe(a);
    expect(c).toBe(a);

    // Another step is another answer.
    before = historyAnswerCounts().series;
    await get(seriesGET, `${lastHour(0)}&step=120`);
    expect(historyAnswerCounts().series.builds - before.builds).toBe(1);

    // A new db_stats sample: the next viewer's chart is read again.
    await rt.collectors.get(ID)!.runNow("db_stats");
    before = historyAnswerCounts().series;
    await get(seriesGET, lastHour(0));
    expect(historyAnswerCounts().series.builds - before.builds).toBe(1);

    // A window in the past is kept as asked.
    const past = `/targets/${ID}/series?metric=tps&from=${new Date(Date.now() - 3 * HOUR).toISOString()}&to=${new Date(Date.now() - 2 * HOUR).toISOString()}`;
    before = historyAnswerCounts().series;
    expect(await get(seriesGET, past)).toBe(await get(seriesGET, past));
    after = historyAnswerCounts().series;
    expect({ builds: after.builds - before.builds, hits: after.hits - before.hits }).toEqual({ builds: 1, hits: 1 });
  }, 90_000);

  it("reads the alert list once until a silence or an alert changes", async () => {
    let before = historyAnswerCounts().alerts;
    const [a, b] = await Promise.all([get(alertsGET, "/alerts?state=firing"), get(alertsGET, "/alerts?state=firing")]);
    expect(b).toBe(a);
    expect(historyAnswerCounts().alerts.builds - before.builds).toBe(1);

    // The alerts page's range, sent with each viewer's clock: one read for both.
    const lastDay = (offsetMs: number) => {
      const to = Date.now() + offsetMs;
      return `/alerts?from=${new Date(to - 24 * HOUR).toISOString()}&to=${new Date(to).toISOString()}`;
    };
    before = historyAnswerCounts().alerts;
    const [d1, d2] = await Promise.all([get(alertsGET, lastDay(0)), get(alertsGET, lastDay(-9))]);
    expect(d2).toBe(d1);
    expect(historyAnswerCounts().alerts.builds - before.builds).toBe(1);

    await createSilence(rt.store.pool, { matchers: { target: ID }, endsAt: new Date(Date.now() + HOUR), reason: "maintenance" }, { name: "ops", role: "admin" });
    before = historyAnswerCounts().alerts;
    await get(alertsGET, "/alerts?state=firing");
    expect(historyAnswerCounts().alerts.builds - before.builds).toBe(1);
  }, 30_000);
});

function req(url: string): Request {
  return new Request(url, { headers: { [PEER_HEADER]: "127.0.0.1", host: new URL(url).host } });
}
