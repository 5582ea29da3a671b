import { z } from "zod";
import { EXPLAIN_PARAMS_MAX, EXPLAIN_QUERY_MAX_CHARS } from "@/lib/limits";
import { nameParam } from "./common";

// POST /api/targets/{id}/explain — plan only for responders, ANALYZE for admins. The server
// checks the role, parses the text (a single SELECT only), checks every function it reaches on
// the target (lib/analysis/explain-rule.ts), rate-limits and audits.

export const explainRequestSchema = z
  .object({
    fingerprint: nameParam(64).optional(),
    query: z.string().min(1).max(EXPLAIN_QUERY_MAX_CHARS).optional(),
    analyze: z.boolean().default(false),
    /** Values for $1…$n; without them the server uses GENERIC_PLAN (PostgreSQL 16+) or asks. */
    params: z.array(z.string().max(10_000)).max(EXPLAIN_PARAMS_MAX).optional(),
  })
  .refine((b) => (b.fingerprint === undefined) !== (b.query === undefined), {
    message: "give exactly one of fingerprint or query",
    path: ["query"],
  });
export type ExplainRequest = z.input<typeof explainRequestSchema>;

export const explainResponseSchema = z.object({
  /** EXPLAIN (FORMAT JSON) output as PostgreSQL returns it. */
  plan: z.unknown(),
  analyze: z.boolean(),
  /** True when placeholders were planned generically (GENERIC_PLAN). */
  generic: z.boolean().optional(),
  query: z.string().optional(),
});
export type ExplainResponse = z.infer<typeof explainResponseSchema>;

/** Every code an EXPLAIN error response carries; its message is shown as it is. */
export const EXPLAIN_ERROR_CODES = [
  "not_single_select",
  /** A function the statement reaches fails the rule (lib/analysis/explain-rule.ts); the message names it. */
  "function_not_allowed",
  "needs_params",
  "forbidden",
  "rate_limited",
  "timeout",
  "unknown_fingerprint",
  "invalid",
  "failed",
  "connection",
  /** Every monitoring connection to the target's server is in use (collection.connectionsPerServer): retry later. */
  "busy",
] as const;
export type ExplainErrorCode = (typeof EXPLAIN_ERROR_CODES)[number];
