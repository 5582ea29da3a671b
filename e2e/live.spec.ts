import type pg from "pg";
import { expect, test } from "./fixtures/test";

// A lock pile-up of three sessions on one row — A holds it in an open transaction, B waits for
// A, C waits behind B — is drawn on the live page as the tree A → B → C, rooted at A.

const pidOf = async (c: pg.Client) => Number((await c.query("SELECT pg_backend_pid() AS pid")).rows[0].pid);

test("a blocking chain of three sessions appears as a tree A → B → C", async ({ page, request, targetId: id, targetSession }) => {
  const [a, b, c] = await Promise.all([targetSession("a"), targetSession("b"), targetSession("c")]);
  const waits: Promise<unknown>[] = [];
  try {
    const row = (await a.query("SELECT id FROM users ORDER BY email LIMIT 1")).rows[0].id as string;
    const [pa, pb, pc] = await Promise.all([pidOf(a), pidOf(b), pidOf(c)]);
    await a.query("BEGIN");
    await a.query("UPDATE users SET last_login_at = last_login_at WHERE id = $1", [row]);
    waits.push(b.query("UPDATE users SET last_login_at = last_login_at WHERE id = $1", [row]).catch(() => null));
    // C queues behind B only once B is waiting: otherwise both would wait on A directly.
    await expect.poll(async () => (await a.query("SELECT pg_blocking_pids($1) AS p", [pb])).rows[0].p, { timeout: 10_000 }).toEqual([pa]);
    waits.push(c.query("UPDATE users SET last_login_at = last_login_at WHERE id = $1", [row]).catch(() => null));
    await expect.poll(async () => (await a.query("SELECT cardinality(pg_blocking_pids($1)) AS n", [pc])).rows[0].n, { timeout: 10_000 }).toBeGreaterThan(0);

    // The API says it first: A is the root, B under it, C under B.
    await expect
      .poll(async () => {
        const act = await (await request.get(`/api/targets/${id}/activity`)).json();
        const root = act.blockerTree.find((n: { pid: number }) => n.pid === pa);
        return root?.children?.[0]?.pid === pb && root.children[0].children?.some((n: { pid: number }) => n.pid === pc);
      }, { timeout: 30_000 })
      .toBe(true);

    await page.goto(`/targets/${id}/live`);
    const panel = page.getByTestId("panel-blocker-tree");
    await expect(panel).toHaveAttribute("data-state", "ready");
    const nodeA = panel.getByTestId(`blocker-node-${pa}`);
    await expect(nodeA).toBeVisible();
    await expect(nodeA).toHaveAttribute("data-root", "true");
    const nodeB = nodeA.getByTestId(`blocker-node-${pb}`);
    await expect(nodeB).toBeVisible();
    await expect(nodeB.getByTestId(`blocker-node-${pc}`)).toBeVisible();
    // B and C are waiting, and say so; A is the root blocker.
    await expect(nodeA).toContainText("root blocker");
    await expect(nodeB).toContainText("waiting");
  } finally {
    // Release B and C before the fixture ends the sessions.
    await a.query("ROLLBACK").catch(() => {});
    await Promise.all(waits);
  }
});
