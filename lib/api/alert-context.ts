import { z } from "zod";
import { nullableNumber } from "./common";
import { seriesMetricSchema } from "./series";

// What the alert detail adds to an alert so it says what to do: the resolved rule's lines, the
// value that fired it, where the object lives in the UI, the rule's hint and the chart to draw.

export const alertLinkSchema = z.object({
  kind: z.enum(["query", "index", "table", "session", "target"]),
  label: z.string(),
  href: z.string(),
});
export type AlertLink = z.infer<typeof alertLinkSchema>;

export const alertContextSchema = z.object({
  /** What fired and where, in one sentence (rule, object, target). */
  sentence: z.string(),
  /** The rule as it applies to this target now, in the alert's unit. */
  comparator: z.enum(["gt", "lt"]),
  threshold: z.number(),
  /** The hysteresis line; null: the threshold itself clears it. */
  clearThreshold: nullableNumber,
  /** Occurrence rules (slow_query) clear after this many quiet seconds, not at a line. */
  keepFiringForSeconds: z.number(),
  /** The value at the transition to firing (or to pending, for an episode that never fired). */
  firedValue: nullableNumber,
  hint: z.string().nullable(),
  /** A slow statement of this fingerprint running right now, by the latest snapshot. */
  running: z.object({ pid: z.number().int().nullable(), forMs: z.number() }).nullable(),
  links: z.array(alertLinkSchema),
  /**
   * The stored series that shows this rule's measure; `scale` turns its values into the
   * alert's unit (a 0–1 ratio into percent), so the rule's lines can be drawn on it.
   */
  chart: z.object({ metric: seriesMetricSchema, scale: z.number(), database: z.string().nullable(), label: z.string() }).nullable(),
});
export type AlertContext = z.infer<typeof alertContextSchema>;
