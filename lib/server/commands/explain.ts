import "server-only";
import { refuseFunctions } from "@/lib/analysis/explain-rule";
import { collectCalls, type StatementCalls } from "@/lib/analysis/sql-calls";
import { hasPlaceholders, isSingleSelect, loadSqlParser } from "@/lib/analysis/sql-text";
import { type ExplainErrorCode } from "@/lib/api/explain";
import { createFailureLimiter, type FailureLimiter } from "@/lib/auth/rate-limit";
import { toDbError } from "@/lib/db/errors";
import { DomainError, isDomainError } from "@/lib/errors";
import type { ActionConnector } from "@/lib/server/wiring/action-connections";
import { EXPLAIN_SETUP_FLAGS } from "@/lib/setup/opt-in-grants";
import { reachedFunctions } from "./explain-calls";
import { privilegeRefusal } from "./explain-privileges";
import { placeholderCount } from "@/lib/analysis/placeholders";
import { processWide } from "@/lib/process-wide";

// EXPLAIN on demand, the one read a viewer's page can cause on a target, so it is narrow:
// a single SELECT (parsed, never matched by regex), inside a read-only transaction with its own
// statement timeout that is always rolled back, on the one-connection action pool. Every
// function the statement can reach on the target must pass a positive rule first
// (lib/analysis/explain-rule.ts), and the connection is closed after each EXPLAIN, so nothing a
// function left in the session (an advisory lock, a setting) outlives it.

export const EXPLAIN_TIMEOUT = "10s";

export class ExplainError extends DomainError {
  declare readonly code: ExplainErrorCode;

  /** `retryAfterSeconds`, for a 429: when the caller may try again. */
  constructor(status: number, code: ExplainErrorCode, message: string, param?: string, retryAfterSeconds?: number) {
    super(status, message, { code, param, headers: retryAfterSeconds ? { "retry-after": String(retryAfterSeconds) } : undefined });
  }
}

export interface ExplainPlanInput {
  text: string;
  analyze: boolean;
  params?: readonly string[];
  /** server_version_num of the target; null when not probed yet (treated as older than 16). */
  serverVersionNum: number | null;
}

export interface PreparedExplain {
  sql: string;
  values: string[];
  generic: boolean;
  analyze: boolean;
  /** Names the statement resolves, vetted against the target's catalog before it runs. */
  calls: StatementCalls;
}

/** Validates the statement and builds the EXPLAIN to run. Throws ExplainError. */
export async function prepareExplain(input: ExplainPlanInput): Promise<PreparedExplain> {
  await loadSqlParser();
  const text = input.text.trim().replace(/;\s*$/, "");
  const calls = isSingleSelect(text) ? collectCalls(text) : null;
  if (!calls) throw new ExplainError(400, "not_single_select", "only a single SELECT can be explained");
  const { analyze } = input;
  const options = ["FORMAT JSON", ...(analyze ? ["ANALYZE", "BUFFERS"] : [])];
  if (!hasPlaceholders(text)) return { sql: `EXPLAIN (${options.join(", ")}) ${text}`, values: [], generic: false, analyze, calls };

  const needed = placeholderCount(text);
  if (input.params && input.params.length > 0) {
    if (input.params.length !== needed) {
      throw new ExplainError(400, "needs_params", `the statement has ${needed} placeholder(s): give exactly ${needed} value(s) in params`, "params");
    }
    return { sql: `EXPLAIN (${options.join(", ")}) ${text}`, values: [...input.params], generic: false, analyze, calls };
  }
  // GENERIC_PLAN (PostgreSQL 16+) plans $n without values, but cannot run: not with ANALYZE.
  if (!input.analyze && (input.serverVersionNum ?? 0) >= 160000) {
    return { sql: `EXPLAIN (FORMAT JSON, GENERIC_PLAN) ${text}`, values: [], generic: true, analyze, calls };
  }
  const why = input.analyze ? "EXPLAIN ANALYZE runs the statement" : "this server is older than PostgreSQL 16 (no GENERIC_PLAN)";
  throw new ExplainError(400, "needs_params", `the statement has ${needed} placeholder(s) and ${why}: give their values in params`, "params");
}

/**
 * Runs the prepared EXPLAIN read-only, with its own timeout, after the function rule passed on
 * the target's catalog; always rolls back, then closes the connection.
 */
export async function runExplain(pool: ActionConnector, prepared: PreparedExplain, opts: { planningRole?: boolean } = {}): Promise<unknown> {
  const client = await pool.connect().catch((e: unknown) => {
    // A full connection budget is already a DomainError (503, "busy"): passed on as it is.
    throw isDomainError(e) ? e : mapExplainError(e);
  });
  try {
    await client.query("BEGIN READ ONLY");
    await client.query(`SET LOCAL statement_timeout = '${EXPLAIN_TIMEOUT}'`);
    // Same connection and transaction as the EXPLAIN: names resolve as the statement will see them.
    const refused = refuseFunctions(await reachedFunctions(client, prepared.calls), prepared.analyze);
    if (refused) throw new ExplainError(400, "function_not_allowed", refused);
    const res = await client.query<{ "QUERY PLAN": unknown }>(prepared.sql, prepared.values);
    return res.rows[0]?.["QUERY PLAN"];
  } catch (e) {
    if (toDbError(e).code === "42501") {
      // Which privilege is missing, from the catalog, once the failed transaction is gone.
      const message = await client
        .query("ROLLBACK")
        .then(() => privilegeRefusal(client, prepared.sql, prepared.calls.relations, opts.planningRole ?? false))
        .catch(() => null);
      if (message) throw new ExplainError(403, "forbidden", message);
    }
    throw mapExplainError(e);
  } finally {
    await client.query("ROLLBACK").catch(() => {});
    // Destroyed, never pooled: a session-level advisory lock, a GUC set with set_config(…, false),
    // a prepared statement or a temp table dies with its backend, whatever ran. Plain EXPLAIN
    // too: the planner runs immutable and stable functions. A reconnect costs a few ms.
    client.release(true);
  }
}

/**
 * The function rule alone, on the target's catalog, for a statement that cannot run yet (ANALYZE
 * asked for values): a refusal that values would not lift is said first, so nobody fills in
 * values for nothing. Nothing of the statement runs; the connection is closed afterwards.
 */
export async function refusedFunction(pool: ActionConnector, calls: StatementCalls, analyze: boolean): Promise<string | null> {
  const client = await pool.connect().catch((e: unknown) => {
    // A full connection budget is already a DomainError (503, "busy"): passed on as it is.
    throw isDomainError(e) ? e : mapExplainError(e);
  });
  try {
    await client.query("BEGIN READ ONLY");
    return refuseFunctions(await reachedFunctions(client, calls), analyze);
  } catch (e) {
    throw mapExplainError(e);
  } finally {
    await client.query("ROLLBACK").catch(() => {});
    client.release(true);
  }
}

/** PostgreSQL's error → a plain message for the page; never the server's own text or the SQL. */
export function mapExplainError(e: unknown): ExplainError {
  if (e instanceof ExplainError) return e;
  const err = toDbError(e);
  switch (err.code) {
    case "42501":
      return new ExplainError(403, "forbidden", `the role EXPLAIN connects as may not read a table this statement uses: GRANT SELECT on it to that role, or give EXPLAIN a planning role (npm run setup -- ${EXPLAIN_SETUP_FLAGS}, then the target's explainUrl)`);
    case "57014":
      return new ExplainError(422, "timeout", `EXPLAIN took longer than ${EXPLAIN_TIMEOUT} and was cancelled`);
    case "42P01":
      return new ExplainError(422, "invalid", "a table in the statement does not exist on the target");
    case "42703":
      return new ExplainError(422, "invalid", "a column in the statement does not exist on the target");
    case "42883":
      return new ExplainError(422, "invalid", "a function or operator in the statement does not exist on the target");
    case "42601":
      return new ExplainError(422, "invalid", "the target's parser rejected the statement (syntax error)");
    case "08P01":
    case "42P02":
      return new ExplainError(400, "needs_params", "the number of values in params does not match the statement's placeholders", "params");
    case "22P02":
    case "22007":
    case "22008":
    case "22003":
      return new ExplainError(400, "needs_params", "a value in params does not fit the type PostgreSQL expects there", "params");
    case "25006":
      return new ExplainError(400, "not_single_select", "the statement tries to write; only a read-only SELECT can be explained");
    case "42P18":
      return new ExplainError(400, "needs_params", "PostgreSQL cannot tell a placeholder's type: give values in params", "params");
  }
  if (err.kind === "connection" || err.kind === "terminated") return new ExplainError(503, "connection", "the target cannot be reached right now");
  if (err.kind === "lock_timeout") return new ExplainError(422, "timeout", "a lock on a table of the statement was held too long");
  return new ExplainError(422, "failed", `EXPLAIN failed on the target${err.code ? ` (SQLSTATE ${err.code})` : ""}`);
}

/** 6 EXPLAINs a minute per actor per target, per process. */
export function explainLimiter(): FailureLimiter {
  return processWide("explainLimiter", () => createFailureLimiter({ maxFailures: 6, windowMs: 60_000 }));
}
