import { formatXidAge } from "@/lib/format/number";
import type { Rule, Severity } from "./types";

// The notification payloads. The generic webhook body is documented (lib/alerts/README.md) and
// stable; Slack gets its incoming-webhook format (`text` for notifications, `blocks` for the
// message) built from the same payload at send time.

export interface NotificationPayload {
  idempotencyKey: string;
  rule: string;
  target: { id: string; name: string };
  object: string;
  state: "firing" | "resolved";
  value: number | null;
  threshold: number;
  /** ISO time the episode started (pending/firing start). */
  since: string;
  severity: Severity;
  labels: Record<string, string>;
  summary: string;
  links: { alert: string; target: string };
  /** Present only on a test notification. */
  test?: true;
  /**
   * Present only on a resolution that is not a recovery: the episode was closed because its rule
   * was turned off ("rule turned off") or its database dropped ("database dropped").
   */
  closedReason?: string;
}

export function alertLinks(publicUrl: string, alertId: number, targetId: string): NotificationPayload["links"] {
  const base = publicUrl.replace(/\/+$/, "");
  return { alert: `${base}/alerts/${alertId}`, target: `${base}/targets/${encodeURIComponent(targetId)}` };
}

/** A number in the rule's unit. Callers say what a missing value means (see readingText). */
export function formatValue(value: number, unit: Rule["unit"]): string {
  switch (unit) {
    case "ms":
      return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
    case "bytes": {
      const units = ["B", "KiB", "MiB", "GiB", "TiB"];
      let v = value;
      let i = 0;
      while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
      }
      return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
    }
    case "percent":
      return `${value.toFixed(1)} %`;
    case "seconds":
      return value >= 120 ? `${Math.floor(value / 60)} min ${Math.round(value % 60)} s` : `${Math.round(value)} s`;
    case "xid":
      return formatXidAge(value);
    case "up":
      return value >= 1 ? "up" : "down";
    case "count":
      return String(Math.round(value));
  }
}

/** What a notification says for a reading: the value, or why there is none (a forced breach). */
export function readingText(reading: { value: number | null; forced?: string }, unit: Rule["unit"]): string {
  if (reading.value === null) return reading.forced ?? "no reading";
  const v = formatValue(reading.value, unit);
  return reading.forced ? `${v} (${reading.forced})` : v;
}

export function buildSummary(
  rule: Pick<Rule, "summary" | "unit" | "comparator" | "threshold" | "criticalThreshold">,
  step: { state: "firing" | "resolved"; escalated?: boolean; closed?: string },
  targetName: string,
  object: string,
  reading: { value: number | null; forced?: string },
): string {
  const cmp = rule.comparator === "gt" ? ">" : "<";
  const line =
    step.escalated && rule.criticalThreshold !== null ? `critical line ${cmp} ${formatValue(rule.criticalThreshold, rule.unit)}` : `threshold ${cmp} ${formatValue(rule.threshold, rule.unit)}`;
  const what = rule.unit === "up" ? `${rule.summary}: ${targetName}` : `${rule.summary} on ${targetName} (${object}): ${readingText(reading, rule.unit)}, ${line}`;
  if (step.state === "resolved") return step.closed ? `Closed without recovery (${step.closed}): ${what}` : `Resolved: ${what}`;
  return step.escalated ? `Now critical: ${what}` : what;
}

/** Slack mrkdwn treats &, < and > as control characters. */
function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const ICON: Record<Severity | "resolved", string> = { critical: ":red_circle:", warning: ":large_orange_circle:", info: ":large_blue_circle:", resolved: ":large_green_circle:" };

export interface SlackMessage {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

export function toSlackMessage(p: NotificationPayload): SlackMessage {
  const icon = p.state === "resolved" ? ICON.resolved : ICON[p.severity];
  const head = `${p.test ? "[TEST] " : ""}[${p.state.toUpperCase()}] ${p.rule} · ${p.target.name}`;
  const labels = Object.entries(p.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  return {
    text: `${icon} ${esc(head)}: ${esc(p.summary)}`,
    blocks: [
      { type: "header", text: { type: "plain_text", text: head.slice(0, 150) } },
      { type: "section", text: { type: "mrkdwn", text: `${icon} ${esc(p.summary)}` } },
      {
        type: "section",
        fields: [
          { type: "mrkdwn", text: `*Severity*\n${p.severity}` },
          { type: "mrkdwn", text: `*Object*\n${esc(p.object)}` },
          { type: "mrkdwn", text: `*Since*\n${p.since}` },
          { type: "mrkdwn", text: `*Labels*\n${esc(labels || "none")}` },
        ],
      },
      { type: "section", text: { type: "mrkdwn", text: `<${p.links.alert}|Open alert> · <${p.links.target}|Open target>` } },
      { type: "context", elements: [{ type: "mrkdwn", text: `Idempotency key: ${esc(p.idempotencyKey)}` }] },
    ],
  };
}

/** The HTTP body for a channel type. */
export function channelBody(type: "webhook" | "slack", p: NotificationPayload): unknown {
  return type === "slack" ? toSlackMessage(p) : p;
}
