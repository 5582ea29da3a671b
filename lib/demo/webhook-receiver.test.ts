import { afterEach, describe, expect, it, vi } from "vitest";
import { createScheduler } from "./scheduler";
import { scheduleRefusals, startDemoWebhookReceiver, type DemoWebhookReceiver } from "./webhook-receiver";
import { DEFAULT_SCHEDULE } from "./workload";

const MIN = 60_000;

describe("the demo's failure window", () => {
  afterEach(() => vi.useRealTimers());

  it("follows the workload's clock, not the receiver's start: 90 s from minute 4 of each cycle", async () => {
    vi.useFakeTimers();
    const receiver = { refusing: false };
    // The receiver starts before the app's build; the workload once the app answers, 3 min later.
    await vi.advanceTimersByTimeAsync(3 * MIN);
    const clock = createScheduler(() => {});
    scheduleRefusals(clock, DEFAULT_SCHEDULE.webhookRefusal, receiver, () => {});
    const seen: Array<[number, boolean]> = [];
    let at = 0;
    for (const next of [1.5 * MIN, 4 * MIN - 1, 4 * MIN, 5.5 * MIN - 1, 5.5 * MIN, 34 * MIN - 1, 34 * MIN, 35.5 * MIN]) {
      await vi.advanceTimersByTimeAsync(next - at);
      at = next;
      seen.push([at, receiver.refusing]);
    }
    // Minute 1.5 of the workload is minute 4.5 of the receiver: a window on its clock would be open.
    expect(seen).toEqual([
      [1.5 * MIN, false],
      [4 * MIN - 1, false],
      [4 * MIN, true],
      [5.5 * MIN - 1, true],
      [5.5 * MIN, false],
      [34 * MIN - 1, false],
      [34 * MIN, true],
      [35.5 * MIN, false],
    ]);
    await clock.stop();
  });

  it("closes when the workload stops", async () => {
    vi.useFakeTimers();
    const receiver = { refusing: false };
    const clock = createScheduler(() => {});
    scheduleRefusals(clock, { startMs: 0, holdMs: MIN, periodMs: 10 * MIN }, receiver, () => {});
    await vi.advanceTimersByTimeAsync(1);
    expect(receiver.refusing).toBe(true);
    await clock.stop();
    expect(receiver.refusing).toBe(false);
  });
});

describe("startDemoWebhookReceiver", () => {
  let r: DemoWebhookReceiver | undefined;
  afterEach(async () => r?.close());

  it("answers 200 while the window is closed and 503 while it is open, logging each message", async () => {
    const lines: string[] = [];
    r = await startDemoWebhookReceiver({ port: 0, log: (l) => lines.push(l) });
    const post = () =>
      fetch(r!.url, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": "pgpulse-7-firing" },
        body: JSON.stringify({ state: "firing", rule: "slow_query", target: { name: "kundli_db" }, severity: "warning" }),
      });
    expect((await post()).status).toBe(200);
    r.refusing = true;
    const refused = await post();
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("30");
    r.refusing = false;
    expect((await post()).status).toBe(200);
    expect(r.received).toBe(2);
    expect(r.refused).toBe(1);
    expect(lines).toEqual([
      "webhook: received firing slow_query on kundli_db (warning), key pgpulse-7-firing",
      "webhook: refused firing slow_query on kundli_db (warning), key pgpulse-7-firing: the demo's failure window, pgpulse retries it",
      "webhook: received firing slow_query on kundli_db (warning), key pgpulse-7-firing",
    ]);
  });
});
