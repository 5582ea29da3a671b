import type { ClientBase, Pool, QueryResult } from "pg";
import type { z } from "zod";
import { toDbError } from "./errors";

// Row-count-checked helpers: every row passes a zod schema at the boundary.

export type Queryable = Pool | ClientBase;

export class RowShapeError extends Error {}

async function run(db: Queryable, sql: string, params: unknown[]): Promise<QueryResult> {
  try {
    return await db.query(sql, params);
  } catch (e) {
    throw toDbError(e);
  }
}

/** `what` names the query (a metric id, "alerts: list") in the error a row of the wrong shape raises. */
function parseRows<T>(rows: unknown[], schema: z.ZodType<T>, what: string): T[] {
  return rows.map((r, i) => {
    const parsed = schema.safeParse(r);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RowShapeError(`${what}: row ${i} column ${issue?.path.join(".")}: ${issue?.message}`);
    }
    return parsed.data;
  });
}

export async function many<T>(db: Queryable, schema: z.ZodType<T>, sql: string, params: unknown[] = [], what = "query"): Promise<T[]> {
  return parseRows((await run(db, sql, params)).rows, schema, what);
}

export async function maybeOne<T>(db: Queryable, schema: z.ZodType<T>, sql: string, params: unknown[] = [], what = "query"): Promise<T | null> {
  const rows = await many(db, schema, sql, params, what);
  if (rows.length > 1) throw new RowShapeError(`${what}: expected at most one row, got ${rows.length}`);
  return rows[0] ?? null;
}

export async function one<T>(db: Queryable, schema: z.ZodType<T>, sql: string, params: unknown[] = [], what = "query"): Promise<T> {
  const row = await maybeOne(db, schema, sql, params, what);
  if (row === null) throw new RowShapeError(`${what}: expected one row, got none`);
  return row;
}

/** A statement whose rows are not read (DDL, a write without RETURNING): how many rows it touched. */
export async function exec(db: Queryable, sql: string, params: unknown[] = []): Promise<number> {
  return (await run(db, sql, params)).rowCount ?? 0;
}
