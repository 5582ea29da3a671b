import pg from "pg";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { DbError } from "./errors";
import { exec, many } from "./query";
import { inTransaction } from "./transaction";

describe("inTransaction", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  const ids = async () => (await many(pool, z.object({ id: z.number() }), "SELECT id FROM t ORDER BY id")).map((r) => r.id);

  beforeAll(async () => {
    db = await createTestDatabase(17, "tx");
    // One connection: a transaction left open or aborted would show in the next statement.
    pool = new pg.Pool({ connectionString: db.url, max: 1 });
    await exec(pool, "CREATE TABLE t (id int PRIMARY KEY)");
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it("commits what fn wrote when it returns, and returns its value", async () => {
    expect(await inTransaction(pool, async (c) => exec(c, "INSERT INTO t VALUES (1), (2)"))).toBe(2);
    expect(await ids()).toEqual([1, 2]);
  });

  it("rolls everything back when fn throws, and rethrows the original error", async () => {
    const failed = inTransaction(pool, async (c) => {
      await exec(c, "INSERT INTO t VALUES (3)");
      await exec(c, "INSERT INTO t VALUES (1)");
    });
    await expect(failed).rejects.toMatchObject({ code: "23505" });
    await expect(failed).rejects.toBeInstanceOf(DbError);
    expect(await ids()).toEqual([1, 2]);
  });
});
