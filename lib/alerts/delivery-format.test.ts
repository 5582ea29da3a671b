import { describe, expect, it } from "vitest";
import { backoffDelayMs, DEFAULT_RETRY, isRetryableStatus, shouldGiveUp } from "./backoff";
import { alertLinks, buildSummary, channelBody, formatValue, readingText, toSlackMessage, type NotificationPayload } from "./payload";
import { publicChannels, routeChannels, type ChannelConfig } from "./routing";
import { silenceMatches, silencedBy } from "./silence-match";

const channels: ChannelConfig[] = [
  { id: "all", type: "webhook", url: "https://example.test/hook-secret", minSeverity: "info" },
  { id: "slack", type: "slack", url: "https://hooks.slack.test/services/T/B/secret", minSeverity: "warning" },
  { id: "prod-pager", type: "webhook", url: "https://pager.test/x", minSeverity: "critical", targets: ["prod"] },
];

describe("routing", () => {
  const cases: Array<[string, { severity: "info" | "warning" | "critical"; targetId: string }, string[] | null, string[]]> = [
    ["info goes to channels with minSeverity info", { severity: "info", targetId: "prod" }, null, ["all"]],
    ["warning reaches slack too", { severity: "warning", targetId: "dev" }, null, ["all", "slack"]],
    ["critical on prod reaches the pager", { severity: "critical", targetId: "prod" }, null, ["all", "slack", "prod-pager"]],
    ["the pager's target list excludes dev", { severity: "critical", targetId: "dev" }, null, ["all", "slack"]],
    ["rule channels restrict", { severity: "critical", targetId: "prod" }, ["prod-pager"], ["prod-pager"]],
    ["rule channels cannot bypass minSeverity", { severity: "info", targetId: "prod" }, ["slack"], []],
  ];
  it.each(cases)("%s", (_n, alert, ruleChannels, expected) => {
    expect(routeChannels(channels, alert, ruleChannels)).toEqual(expected);
  });

  it("public channels carry no URL", () => {
    const pub = publicChannels(channels);
    expect(pub).toEqual([
      { id: "all", type: "webhook", minSeverity: "info", targets: null },
      { id: "slack", type: "slack", minSeverity: "warning", targets: null },
      { id: "prod-pager", type: "webhook", minSeverity: "critical", targets: ["prod"] },
    ]);
    expect(JSON.stringify(pub)).not.toContain("secret");
  });
});

describe("silence matchers", () => {
  const alert = { rule: "table_size", targetId: "prod", objectKey: "public.birth_charts" };
  it.each([
    [{ rule: "table_size" }, true],
    [{ rule: "slow_query" }, false],
    [{ target: "prod" }, true],
    [{ target: "prod", rule: "index_bloat" }, false],
    [{ objectPattern: "public.*" }, true],
    [{ objectPattern: "public.birth_*s" }, true],
    [{ objectPattern: "public.birth" }, false],
    [{ objectPattern: "public.birth.charts" }, false], // "." is literal, not a regex wildcard
  ])("%j → %s", (m, expected) => {
    expect(silenceMatches(m, alert)).toBe(expected);
  });

  it("only silences in force count", () => {
    const t = Date.UTC(2026, 0, 1, 12);
    const win = (id: number, from: number, to: number, expired: number | null = null) => ({ id, matchers: { target: "prod" }, startsAt: new Date(from), endsAt: new Date(to), expiredAt: expired === null ? null : new Date(expired) });
    expect(silencedBy([win(1, t - 10, t)], alert, t)).toBeNull(); // ended exactly now
    expect(silencedBy([win(2, t + 1, t + 100)], alert, t)).toBeNull(); // not started
    expect(silencedBy([win(3, t - 10, t + 10, t - 1)], alert, t)).toBeNull(); // expired early
    expect(silencedBy([win(3, t - 10, t + 10, t - 1), win(4, t - 10, t + 10)], alert, t)).toBe(4);
  });
});

describe("backoff", () => {
  const policy = { baseMs: 5_000, capMs: 600_000 };
  it("doubles from the base up to the cap, with jitter between half and all of the step", () => {
    const lo = (n: number) => backoffDelayMs(n, policy, () => 0);
    const hi = (n: number) => backoffDelayMs(n, policy, () => 1);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 20].map(hi)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000, 600_000]);
    expect([1, 2, 8].map(lo)).toEqual([2_500, 5_000, 300_000]);
    for (let n = 1; n < 30; n++) {
      const d = backoffDelayMs(n, policy);
      expect(d).toBeGreaterThanOrEqual(lo(n));
      expect(d).toBeLessThanOrEqual(hi(n));
    }
  });
  it("gives up after max attempts or max age", () => {
    const p = { maxAttempts: 5, maxAgeMs: 1000 };
    expect(shouldGiveUp(4, 0, 999, p)).toBe(false);
    expect(shouldGiveUp(5, 0, 10, p)).toBe(true);
    expect(shouldGiveUp(1, 0, 1000, p)).toBe(true);
    expect(DEFAULT_RETRY.maxAgeMs).toBe(24 * 3600_000);
  });
  it("retries 408, 429 and 5xx only", () => {
    expect([200, 400, 401, 404, 408, 429, 500, 503].map(isRetryableStatus)).toEqual([false, false, false, false, true, true, true, true]);
  });
});

describe("payloads", () => {
  const sizeRule = { summary: "Table larger than the threshold", unit: "bytes", comparator: "gt", threshold: 10 * 1024 ** 3, criticalThreshold: null } as const;
  const payload: NotificationPayload = {
    idempotencyKey: "pgpulse-7-firing-slack",
    rule: "table_size",
    target: { id: "prod", name: "Prod <main>" },
    object: "public.birth_charts",
    state: "firing",
    value: 12 * 1024 ** 3,
    threshold: 10 * 1024 ** 3,
    since: "2026-01-01T12:00:00.000Z",
    severity: "warning",
    labels: { schema: "public", table: "birth_charts" },
    summary: buildSummary(sizeRule, { state: "firing" }, "Prod <main>", "public.birth_charts", { value: 12 * 1024 ** 3 }),
    links: alertLinks("https://pgpulse.example/", 7, "prod"),
  };

  it("summaries read like a sentence with units", () => {
    expect(payload.summary).toBe("Table larger than the threshold on Prod <main> (public.birth_charts): 12.0 GiB, threshold > 10.0 GiB");
    const down = { summary: "Target unreachable", unit: "up", comparator: "lt", threshold: 1, criticalThreshold: null } as const;
    expect(buildSummary(down, { state: "resolved" }, "Prod", "target", { value: 1 })).toBe("Resolved: Target unreachable: Prod");
    expect(formatValue(2350, "ms")).toBe("2350 ms");
    expect(formatValue(87.25, "percent")).toBe("87.3 %");
    expect(formatValue(400, "seconds")).toBe("6 min 40 s");
    expect(formatValue(1.6e9, "xid")).toBe("1.60 billion");
    expect(formatValue(2_000_039, "xid")).toBe("2.00 million");
  });

  it("a missing value reads as why there is none, never as a placeholder", () => {
    const slot = { summary: "Inactive replication slot holding WAL back", unit: "bytes", comparator: "gt", threshold: 5 * 1024 ** 3, criticalThreshold: null } as const;
    expect(buildSummary(slot, { state: "firing" }, "Prod", "slot:s", { value: null, forced: "WAL lost" })).toBe("Inactive replication slot holding WAL back on Prod (slot:s): WAL lost, threshold > 5.0 GiB");
    expect(buildSummary(slot, { state: "firing" }, "Prod", "slot:s", { value: 1024 ** 3, forced: "WAL unreserved" })).toContain(": 1.0 GiB (WAL unreserved), threshold");
    expect(readingText({ value: null }, "ms")).toBe("no reading");
  });

  it("an escalation names the critical line it crossed", () => {
    const lag = { summary: "Standby replaying behind the primary", unit: "seconds", comparator: "gt", threshold: 60, criticalThreshold: 300 } as const;
    expect(buildSummary(lag, { state: "firing", escalated: true }, "Prod", "standby:r1", { value: 400 })).toBe("Now critical: Standby replaying behind the primary on Prod (standby:r1): 6 min 40 s, critical line > 5 min 0 s");
    expect(buildSummary(lag, { state: "firing" }, "Prod", "standby:r1", { value: 90 })).toBe("Standby replaying behind the primary on Prod (standby:r1): 90 s, threshold > 60 s");
  });

  it("links are absolute under the public URL", () => {
    expect(payload.links).toEqual({ alert: "https://pgpulse.example/alerts/7", target: "https://pgpulse.example/targets/prod" });
    expect(alertLinks("", 3, "a b").target).toBe("/targets/a%20b");
  });

  it("the generic webhook body is the documented payload itself", () => {
    expect(channelBody("webhook", payload)).toBe(payload);
    expect(Object.keys(payload).sort()).toEqual(["idempotencyKey", "labels", "links", "object", "rule", "severity", "since", "state", "summary", "target", "threshold", "value"]);
  });

  it("Slack gets text + blocks with escaped mrkdwn and the links", () => {
    const m = toSlackMessage(payload);
    expect(channelBody("slack", payload)).toEqual(m);
    expect(m.text).toBe(":large_orange_circle: [FIRING] table_size · Prod &lt;main&gt;: Table larger than the threshold on Prod &lt;main&gt; (public.birth_charts): 12.0 GiB, threshold &gt; 10.0 GiB");
    expect(m.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "[FIRING] table_size · Prod <main>" } });
    const json = JSON.stringify(m.blocks);
    expect(json).toContain("<https://pgpulse.example/alerts/7|Open alert>");
    expect(json).toContain("pgpulse-7-firing-slack");
    expect(toSlackMessage({ ...payload, state: "resolved" }).text.startsWith(":large_green_circle: [RESOLVED]")).toBe(true);
  });
});
