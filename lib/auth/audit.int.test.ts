import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "@/lib/store/migrate";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { recordAudit, redactSecrets } from "./audit";

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase(17, "audit");
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  await migrate(pool);
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe("audit log", () => {
  it("records who did what to which object, with before/after and source", async () => {
    const { id, at } = await recordAudit(pool, {
      actor: { name: "ana", role: "responder" },
      action: "silence.create",
      object: "silence:7",
      before: null,
      after: { matchers: { rule: "table_size" }, until: "2030-01-01T00:00:00Z", reason: "maintenance" },
      sourceAddress: "192.0.2.10",
    });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(at.getTime() - Date.now())).toBeLessThan(60_000);
    const { rows } = await pool.query("SELECT actor, role, action, object, before, after, source_address FROM pgpulse.audit_log WHERE id = $1", [id]);
    expect(rows).toEqual([
      {
        actor: "ana",
        role: "responder",
        action: "silence.create",
        object: "silence:7",
        before: null,
        after: { matchers: { rule: "table_size" }, until: "2030-01-01T00:00:00Z", reason: "maintenance" },
        source_address: "192.0.2.10",
      },
    ]);
  });

  it("commits with the caller's transaction and rolls back with it", async () => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await recordAudit(client, { actor: { name: "root", role: "admin" }, action: "session.cancel", object: "target:prod/pid:1" });
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM pgpulse.audit_log WHERE action = 'session.cancel'");
    expect(rows[0].n).toBe(0);
  });

  it("never stores secrets in before/after", async () => {
    const { id } = await recordAudit(pool, {
      actor: { name: "root", role: "admin" },
      action: "channel.update",
      object: "channel:ops",
      before: { url: "https://hooks.example/secret-path", minSeverity: "info" },
      after: { url: "https://hooks.example/other", nested: [{ password: "x", token: "y" }], minSeverity: "warning" },
    });
    const { rows } = await pool.query("SELECT before, after FROM pgpulse.audit_log WHERE id = $1", [id]);
    expect(rows[0]).toEqual({
      before: { url: "[redacted]", minSeverity: "info" },
      after: { url: "[redacted]", nested: [{ password: "[redacted]", token: "[redacted]" }], minSeverity: "warning" },
    });
    expect(redactSecrets({ connectionString: "postgres://u:p@h/db", name: "prod" })).toEqual({ connectionString: "[redacted]", name: "prod" });
  });

  it("refuses an unknown role and indexes by time", async () => {
    await expect(
      pool.query("INSERT INTO pgpulse.audit_log (actor, role, action, object) VALUES ('x', 'root', 'a', 'o')"),
    ).rejects.toThrow(/check constraint/);
    const { rows } = await pool.query("SELECT indexdef FROM pg_indexes WHERE schemaname = 'pgpulse' AND indexname = 'audit_log_at_idx'");
    expect(rows[0].indexdef).toContain("(at)");
  });
});
