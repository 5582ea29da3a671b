import { z } from "zod";

// Building blocks shared by every contract. Timestamps travel as ISO strings; every figure that
// can be unknown is nullable, so "unknown" never arrives disguised as 0.

// Years 1–9999 only: JavaScript dates reach ±275,760 years, but a range computed from a bound
// there (to − 400 days) falls outside them, and toISOString() then throws.
const ISO_MIN_MS = Date.parse("0001-01-01T00:00:00.000Z");
const ISO_MAX_MS = Date.parse("9999-12-31T23:59:59.999Z");
export const isoTime = z
  .string()
  .refine((s) => {
    const ms = Date.parse(s);
    return !Number.isNaN(ms) && ms >= ISO_MIN_MS && ms <= ISO_MAX_MS;
  }, "must be an ISO timestamp between years 1 and 9999");
export const nullableIso = isoTime.nullable();
export const nullableNumber = z.number().nullable();
export const nullableInt = z.number().int().nullable();

/** `[isoTime, value]`: a bucket with no data is null, never 0. */
export const pointSchema = z.tuple([isoTime, z.number().nullable()]);
export const pointsSchema = z.array(pointSchema);
export type Point = z.infer<typeof pointSchema>;

export const severitySchema = z.enum(["critical", "warning", "info"]);
export type Severity = z.infer<typeof severitySchema>;
export const SEVERITIES: readonly Severity[] = ["critical", "warning", "info"];

export const roleSchema = z.enum(["viewer", "responder", "admin"]);
export type Role = z.infer<typeof roleSchema>;

/**
 * Why a panel has nothing to show although nothing failed: a missing extension, a missing
 * privilege, a metric not collected yet. Every resource response carries it; null when the
 * data is available.
 */
export const unavailableSchema = z.string().nullable();

/** The body of every non-2xx answer: a message fit for the user, never SQL or a stack. */
export const apiErrorBodySchema = z.object({
  error: z.string(),
  code: z.string().optional(),
  /** The query parameter or body field that was rejected (400). */
  param: z.string().optional(),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

/** A query parameter time range; the server clamps it to MAX_RANGE_MS (lib/limits.ts). */
export const timeRangeQuerySchema = z
  .object({ from: isoTime, to: isoTime })
  .refine((r) => Date.parse(r.from) < Date.parse(r.to), { message: "from must be before to", path: ["from"] });
