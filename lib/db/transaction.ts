import type { ClientBase, Pool, PoolClient } from "pg";
import { exec } from "./query";

// Explicit transactions need one connection for every statement in them; these helpers hold
// it, and always end the transaction: COMMIT when `fn` returns, ROLLBACK when it throws.

/** Runs `fn` inside BEGIN … COMMIT on a connection the caller holds. */
export async function transaction<T, C extends ClientBase>(client: C, fn: (client: C) => Promise<T>): Promise<T> {
  await exec(client, "BEGIN");
  try {
    const out = await fn(client);
    await exec(client, "COMMIT");
    return out;
  } catch (e) {
    // The original failure is what the caller needs; a failed ROLLBACK (connection gone) is not.
    await exec(client, "ROLLBACK").catch(() => {});
    throw e;
  }
}

/** Runs `fn` in a transaction on a connection checked out of `pool` for it. */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await transaction(client, fn);
  } finally {
    client.release();
  }
}
