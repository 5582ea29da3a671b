import { formatDuration } from "@/lib/format/duration";
import type { AlertContext } from "./alert-context";
import { formatAlertValue } from "./alert-view";
import type { Alert } from "./alerts";

// The alert detail's figures as text, shared by the page and its tests.

type LinesAlert = Pick<Alert, "value" | "unit" | "state">;
type LinesContext = Pick<AlertContext, "comparator" | "threshold" | "clearThreshold" | "keepFiringForSeconds" | "firedValue" | "running">;

/**
 * The figures an on-call engineer needs side by side: "fired at 88.1 %", "90.4 % now",
 * "fires below 90 %", "clears at 92 %". A yes/no rule (no unit) reads in words.
 */
export function alertLines(a: LinesAlert, c: LinesContext): string[] {
  const f = (v: number | null) => formatAlertValue(v, a.unit);
  const open = a.state === "firing" || a.state === "pending";
  if (a.unit === null) return [open ? "down now" : "up again", "fires while down", "clears once it answers"];
  const lines: string[] = [];
  if (c.firedValue !== null) lines.push(`fired at ${f(c.firedValue)}`);
  if (c.running) lines.push(`running for ${formatDuration(c.running.forMs)}`);
  else if (a.value !== null) lines.push(`${f(a.value)} ${open ? "now" : "when it cleared"}`);
  lines.push(`fires ${c.comparator === "gt" ? "above" : "below"} ${f(c.threshold)}`);
  // With hysteresis the line that clears an alert is not the one that fired it.
  if (c.clearThreshold !== null) lines.push(`clears at ${f(c.clearThreshold)}`);
  else if (c.keepFiringForSeconds > 0) lines.push(`clears after ${formatDuration(c.keepFiringForSeconds * 1000)} without one`);
  else lines.push(`clears at ${f(c.threshold)}`);
  return lines;
}
