import { z } from "zod";
import { isValidTimeZone, parseIsoWeek } from "@/lib/trends/iso-week";
import { isoTime, nameParam, nullableIso, nullableNumber } from "./common";

// GET /api/trends?week=2026-W48&target=…&tz=Europe/Berlin → one ISO week against the week
// before, per target (all targets when `target` is absent). Every figure that can be unknown
// is null, never 0; daily values are joined with the previous week by weekday.

export const WEEK_PATTERN_MESSAGE = "must be an ISO week such as 2026-W48 that exists in that year";

export const trendsQuerySchema = z.object({
  week: z
    .string()
    .max(16)
    .refine((s) => parseIsoWeek(s) !== null, WEEK_PATTERN_MESSAGE)
    .optional(),
  target: nameParam(200).optional(),
  tz: z.string().max(64).refine(isValidTimeZone, "must be an IANA time zone such as Europe/Berlin").optional(),
});
export type TrendsQuery = z.infer<typeof trendsQuerySchema>;

/** A figure this week against the same figure last week. */
export const changeSchema = z.object({
  current: nullableNumber,
  previous: nullableNumber,
  /** current − previous; null when either is unknown. */
  delta: nullableNumber,
  /** delta / |previous| × 100; null when either is unknown or previous is 0. */
  pct: nullableNumber,
});
export type Change = z.infer<typeof changeSchema>;

/** One weekday of both weeks: joined by weekday (1 = Monday), never by array position. */
export const dayPairSchema = z.object({
  weekday: z.number().int().min(1).max(7),
  date: z.string(),
  previousDate: z.string(),
  current: nullableNumber,
  previous: nullableNumber,
});
export type DayPair = z.infer<typeof dayPairSchema>;

export const coverageDaySchema = z.object({
  date: z.string(),
  weekday: z.number().int().min(1).max(7),
  /** Hours in the local day (23 or 25 on DST changes); hours that have begun when the week is current. */
  hours: z.number().int().nonnegative(),
  hoursWithData: z.number().int().nonnegative(),
  simulated: z.boolean(),
});
export type CoverageDay = z.infer<typeof coverageDaySchema>;

export const intervalValueSchema = z.object({ value: z.number(), from: isoTime, to: isoTime });

export const headlineSchema = z.object({
  slowCount: changeSchema,
  slowP95Ms: changeSchema,
  /** Mean of the hourly cache hit ratios (percent), the hours with enough block accesses. */
  cacheHitMean: changeSchema,
  /** The lowest hourly ratio of each week. */
  cacheHitWorst: z.object({ current: intervalValueSchema.nullable(), previous: intervalValueSchema.nullable() }),
  /** Highest hourly maximum of client connections. */
  peakConnections: changeSchema,
  peakConnectionsAt: nullableIso,
  /** Usable connection slots (max_connections − reserved) at the peak week's end. */
  connectionLimit: nullableNumber,
  tpsMean: changeSchema,
  /** The busiest hour's mean transactions per second. */
  tpsPeak: changeSchema,
  tpsPeakAt: nullableIso,
  /** Size of the target's database at the end of the week minus at its start. */
  dbSizeGrowthBytes: changeSchema,
  dbSizeBytes: nullableNumber,
  alertsFired: changeSchema,
  mttaSeconds: changeSchema,
  mttrSeconds: changeSchema,
});
export type Headline = z.infer<typeof headlineSchema>;

export const tableTrendSchema = z.object({
  objectKey: z.string(),
  sizeBytes: nullableNumber,
  /** Size at the end of the week minus at its start (null without both). */
  growthBytes: nullableNumber,
  growthBytesPerDay: nullableNumber,
  alreadyOver: z.boolean(),
  crossesAt: nullableIso,
  previousCrossesAt: nullableIso,
  /** crossesAt − previousCrossesAt in days: negative = the crossing moved closer. */
  projectionChangeDays: nullableNumber,
});
export type TableTrend = z.infer<typeof tableTrendSchema>;

export const bloatTrendSchema = z.object({
  objectKey: z.string(),
  table: z.string(),
  bloatPercent: nullableNumber,
  previousBloatPercent: nullableNumber,
  deltaPoints: nullableNumber,
  wastedBytes: nullableNumber,
});

export const unusedIndexSchema = z.object({ objectKey: z.string(), table: z.string(), sizeBytes: nullableNumber, definition: z.string().nullable() });

export const fingerprintStatusSchema = z.enum(["new", "worse", "better", "same", "gone"]);
export type FingerprintStatus = z.infer<typeof fingerprintStatusSchema>;

export const fingerprintTrendSchema = z.object({
  fingerprint: z.string(),
  /** Redacted for viewers. */
  query: z.string(),
  status: fingerprintStatusSchema,
  count: z.number().int().nonnegative(),
  previousCount: z.number().int().nonnegative(),
  p95Ms: nullableNumber,
  previousP95Ms: nullableNumber,
  totalMs: nullableNumber,
});
export type FingerprintTrend = z.infer<typeof fingerprintTrendSchema>;

export const alertRuleTrendSchema = z.object({
  rule: z.string(),
  fired: z.number().int().nonnegative(),
  previousFired: z.number().int().nonnegative(),
  acknowledged: z.number().int().nonnegative(),
  resolved: z.number().int().nonnegative(),
  mttaSeconds: nullableNumber,
  mttrSeconds: nullableNumber,
});
export type AlertRuleTrend = z.infer<typeof alertRuleTrendSchema>;

export const targetTrendsSchema = z.object({
  targetId: z.string(),
  targetName: z.string(),
  database: z.string(),
  thresholds: z.object({ tableSizeBytes: z.number(), cacheHitRatioPercent: z.number(), indexBloatPercent: z.number(), queryTimeMs: z.number() }),
  /** Some of the week's data came from the demo's simulated history. */
  simulated: z.boolean(),
  previousSimulated: z.boolean(),
  coverage: z.object({ current: z.array(coverageDaySchema), previous: z.array(coverageDaySchema) }),
  headline: headlineSchema,
  daily: z.object({
    slowCount: z.array(dayPairSchema),
    cacheHitMean: z.array(dayPairSchema),
    tpsMean: z.array(dayPairSchema),
    peakConnections: z.array(dayPairSchema),
    dbSizeBytes: z.array(dayPairSchema),
  }),
  tables: z.array(tableTrendSchema),
  /** False when no size snapshot of the week is stored (older than snapshot retention). */
  tablesAvailable: z.boolean(),
  bloat: z.array(bloatTrendSchema),
  unusedIndexes: z.array(unusedIndexSchema),
  fingerprints: z.array(fingerprintTrendSchema),
  alerts: z.array(alertRuleTrendSchema),
  summary: z.array(z.string()),
});
export type TargetTrends = z.infer<typeof targetTrendsSchema>;

export const trendsResponseSchema = z.object({
  week: z.string(),
  previousWeek: z.string(),
  /** null when the next week has not begun. */
  nextWeek: z.string().nullable(),
  tz: z.string(),
  from: isoTime,
  to: isoTime,
  previousFrom: isoTime,
  /** False while the week is still running. */
  complete: z.boolean(),
  generatedAt: isoTime,
  targets: z.array(targetTrendsSchema),
});
export type TrendsResponse = z.infer<typeof trendsResponseSchema>;
