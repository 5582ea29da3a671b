import { z } from "zod";
import { ROLES } from "@/lib/auth/roles";

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

// Text from a query string, a path or a body. PostgreSQL refuses NUL in text (the query failed
// with a 500), and no name of a database, schema, table, target, rule or channel holds any
// control character; free text may hold line breaks and tabs, never NUL.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** A name given as a parameter: 1..max characters, no control characters. */
export const nameParam = (max: number) =>
  z
    .string()
    .min(1, "required")
    .max(max)
    .refine((s) => !CONTROL_CHARS.test(s), "must not contain control characters");

/** Free text (a comment, a reason): line breaks and tabs allowed, NUL not. */
export const freeText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !s.includes("\u0000"), "must not contain NUL characters");
export const nullableNumber = z.number().nullable();
export const nullableInt = z.number().int().nullable();

/** `[isoTime, value]`: a bucket with no data is null, never 0. */
export const pointSchema = z.tuple([isoTime, z.number().nullable()]);
export const pointsSchema = z.array(pointSchema);
export type Point = z.infer<typeof pointSchema>;

export const severitySchema = z.enum(["critical", "warning", "info"]);
export type Severity = z.infer<typeof severitySchema>;

// The order lives in lib/auth/roles.ts (pure, no server-only import).
export const roleSchema = z.enum(ROLES);

/**
 * Why a panel has nothing to show although nothing failed: a missing extension, a missing
 * privilege, a metric not collected yet. Every resource response carries it; null when the
 * data is available.
 */
export const unavailableSchema = z.string().nullable();

/**
 * How often the data behind an answer is taken on this server: the metric's interval, or its
 * PGPULSE_INTERVALS override. The client judges a sample stale against it (STALE_FACTOR).
 */
export const cadenceMsSchema = z.number().int().positive();

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

/** A target's side of replication as its last probe saw it (`pg_is_in_recovery()`). */
export const serverRoleSchema = z.enum(["primary", "standby"]);
