import { z } from "zod";
import { clampStepSeconds, MAX_RANGE_MS, RANGE_MS } from "@/lib/limits";
import { LIVE_DEFAULT_WINDOW } from "./search-params";
import { SERIES_METRICS, SERIES_UNIT_NAMES } from "./series-metrics";
import { cadenceMsSchema, isoTime, nameParam, pointsSchema } from "./common";

// GET /api/targets/{id}/series?metric&from&to&step → one series, aligned to step buckets.


export const seriesMetricSchema = z.enum(SERIES_METRICS);
export type SeriesMetric = z.infer<typeof seriesMetricSchema>;

export const seriesUnitSchema = z.enum(SERIES_UNIT_NAMES);
export type SeriesUnit = z.infer<typeof seriesUnitSchema>;


/**
 * Query parameters; `step` in seconds, optional (the server picks one from the range); the view
 * raises it to the metric's cadence (getSeries), since the cadence is the runtime's. Without
 * `from`/`to` the range is the pages' default window ending now, so a bare URL still answers.
 */
export const seriesQuerySchema = z
  .object({
    metric: seriesMetricSchema,
    from: isoTime.optional(),
    to: isoTime.optional(),
    step: z.coerce.number().int().positive().optional(),
    database: nameParam(63).optional(),
    /** A standby's application_name, for the per-standby series (replay_lag_seconds, replay_bytes_behind). */
    standby: nameParam(63).optional(),
  })
  .transform((q, ctx) => {
    // The clock is read per request, never at import.
    const to = q.to ? Date.parse(q.to) : Date.now();
    const asked = q.from ? Date.parse(q.from) : to - RANGE_MS[LIVE_DEFAULT_WINDOW];
    if (asked >= to) {
      ctx.addIssue({ code: "custom", message: "from must be before to", path: ["from"] });
      return z.NEVER;
    }
    // Clamp rather than refuse: a shared URL with a long range still answers.
    const from = Math.max(asked, to - MAX_RANGE_MS);
    const rangeMs = to - from;
    return {
      ...q,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      step: clampStepSeconds(q.step ?? 0, rangeMs),
    };
  });
export type SeriesQuery = z.output<typeof seriesQuerySchema>;

export const seriesResponseSchema = z.object({
  metric: seriesMetricSchema,
  unit: seriesUnitSchema,
  /** The step used: the one asked, raised to the metric's cadence or the rollup's bucket. */
  step: z.number().int().positive().optional(),
  points: pointsSchema,
  /** The cadence of the metric the series is derived from. */
  cadenceMs: cadenceMsSchema,
  /** Set when the metric cannot be collected on this target (e.g. missing extension). */
  unavailable: z.string().nullable().optional(),
});
export type SeriesResponse = z.infer<typeof seriesResponseSchema>;
