import { afterEach, describe, expect, it } from "vitest";
import { refusing, startDemoWebhookReceiver, type DemoWebhookReceiver } from "./webhook-receiver";

const MIN = 60_000;

describe("the demo's failure window", () => {
  it.each([
    [0, false],
    [4 * MIN - 1, false],
    [4 * MIN, true],
    [5 * MIN, true],
    [5.5 * MIN, false],
    [34 * MIN, true],
    [35.5 * MIN, false],
  ])("%d ms after start: refusing %s", (ms, expected) => {
    expect(refusing(ms)).toBe(expected);
  });
});

describe("startDemoWebhookReceiver", () => {
  let r: DemoWebhookReceiver | undefined;
  afterEach(async () => r?.close());

  it("answers 200 outside the window and 503 inside it, logging each message", async () => {
    let clock = 1_000_000;
    const lines: string[] = [];
    r = await startDemoWebhookReceiver({ port: 0, log: (l) => lines.push(l), now: () => clock });
    const post = () =>
      fetch(r!.url, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": "pgpulse-7-firing" },
        body: JSON.stringify({ state: "firing", rule: "slow_query", target: { name: "kundli_db" }, severity: "warning" }),
      });
    expect((await post()).status).toBe(200);
    clock += 4 * MIN + 1;
    const refused = await post();
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("30");
    expect(r.received).toBe(1);
    expect(r.refused).toBe(1);
    expect(lines).toEqual([
      "webhook: received firing slow_query on kundli_db (warning), key pgpulse-7-firing",
      "webhook: refused firing slow_query on kundli_db (warning), key pgpulse-7-firing: the demo's failure window, pgpulse retries it",
    ]);
  });
});
