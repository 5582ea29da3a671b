import { z } from "zod";
import { nullableIso } from "./common";

// GET /api/targets/{id}/availability — per metric, whether it is collected and, if not, why.
// Panels show the reason instead of an empty chart.

export const metricStatusSchema = z.object({
  status: z.enum(["ok", "unavailable", "error", "pending"]),
  /** "unavailable: pg_stat_statements is not installed", or the last error message. */
  reason: z.string().nullable(),
  lastSampleAt: nullableIso,
  intervalMs: z.number().int().positive().nullable(),
});

export const availabilityResponseSchema = z.object({
  targetId: z.string(),
  metrics: z.record(z.string(), metricStatusSchema),
});
export type AvailabilityResponse = z.infer<typeof availabilityResponseSchema>;
