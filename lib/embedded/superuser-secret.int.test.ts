import { access, chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefaultStore } from "@/lib/store/embedded";
import { startEmbeddedPostgres } from "./postgres";

// Every embedded server listens on 127.0.0.1, where any local user can connect: a superuser
// password known in advance would hand them the raw query texts, the audit log and COPY … TO
// PROGRAM. Each data directory must have a random one of its own, kept owner-only, and the data
// directories that still carry the old fixed password must be moved to a random one at start.

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "pgpulse-secret-"));
  // initdb runs as the unprivileged "postgres" user when we are root: it must reach the folder.
  await chmod(root, 0o755);
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** The SQLSTATE of a failed login, or "ok". */
async function login(url: string, password?: string): Promise<string> {
  const u = new URL(url);
  if (password !== undefined) u.password = encodeURIComponent(password);
  const c = new pg.Client({ connectionString: u.toString() });
  try {
    await c.connect();
    await c.query("SELECT 1");
    return "ok";
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  } finally {
    await c.end().catch(() => {});
  }
}

async function sql(url: string, text: string): Promise<unknown[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

const mode = async (file: string) => (await stat(file)).mode & 0o777;
const gone = (file: string) => access(file).then(() => false, () => true);

describe("superuser password of the embedded servers", () => {
  it("the default store: a random password in a 0600 file beside the data directory; postgres/postgres and a wrong one are refused", async () => {
    const dataDir = path.join(root, "fresh");
    const store = await startDefaultStore({ dataDir });
    try {
      expect(await login(store.url, "postgres")).toBe("28P01");
      expect(await login(store.url)).toBe("ok");
      const secret = (await readFile(path.join(dataDir, "store-pg.secret"), "utf8")).trim();
      expect(await mode(path.join(dataDir, "store-pg.secret"))).toBe(0o600);
      expect(secret.length).toBeGreaterThanOrEqual(43); // 32 random bytes, base64url
      expect(decodeURIComponent(new URL(store.url).password)).toBe(secret);
      expect(await login(store.url, `${secret}x`)).toBe("28P01");
    } finally {
      await store.stop();
    }
    // The same data directory again: the stored password is read back, not replaced.
    const again = await startDefaultStore({ dataDir });
    try {
      expect(await login(again.url)).toBe("ok");
      expect(new URL(again.url).password).toBe(new URL(store.url).password);
    } finally {
      await again.stop();
    }
  });

  it("two data directories get different passwords; a non-persistent server's file goes with its directory", async () => {
    const [a, b] = await Promise.all(["a", "b"].map((n) => startEmbeddedPostgres({ dataDir: path.join(root, n), persistent: false })));
    expect(new URL(a.url()).password).not.toBe(new URL(b.url()).password);
    await Promise.all([a.stop(), b.stop()]);
    expect(await gone(path.join(root, "a.secret"))).toBe(true);
  });

  it("a data directory initialised with postgres/postgres and no secret file is moved to a random password", async () => {
    const dataDir = path.join(root, "legacy");
    // As the demo runs it: pg_stat_statements, whose texts the dashboard shows, tracks everything.
    const settings = { shared_preload_libraries: "pg_stat_statements", "pg_stat_statements.track": "all" };
    // What every earlier version left on disk: initdb with the fixed password, nothing beside it.
    const old = await startEmbeddedPostgres({ dataDir, settings, fixedPassword: "postgres" });
    expect(await login(old.url(), "postgres")).toBe("ok");
    await sql(old.url(), "CREATE EXTENSION pg_stat_statements");
    await old.stop();
    expect(await gone(`${dataDir}.secret`)).toBe(true);

    const server = await startEmbeddedPostgres({ dataDir, settings });
    try {
      expect(await login(server.url())).toBe("ok");
      expect(await login(server.url(), "postgres")).toBe("28P01");
      expect(await mode(`${dataDir}.secret`)).toBe(0o600);
      expect((await readFile(`${dataDir}.secret`, "utf8")).trim()).toBe(decodeURIComponent(new URL(server.url()).password));
      expect(await gone(`${dataDir}.secret.pending`)).toBe(true);
      expect(await sql(server.url(), "SELECT query FROM pg_stat_statements WHERE query ILIKE '%PASSWORD%'")).toEqual([]);
    } finally {
      await server.stop();
    }
  });

  it("a migration interrupted after ALTER ROLE is completed from the pending secret", async () => {
    const dataDir = path.join(root, "half");
    const pending = "pending-secret-that-alter-role-already-set";
    const half = await startEmbeddedPostgres({ dataDir, fixedPassword: pending });
    await half.stop();
    await writeFile(`${dataDir}.secret.pending`, `${pending}\n`, { mode: 0o600 });

    const server = await startEmbeddedPostgres({ dataDir });
    try {
      expect(await login(server.url(), pending)).toBe("ok");
      expect((await readFile(`${dataDir}.secret`, "utf8")).trim()).toBe(pending);
    } finally {
      await server.stop();
    }
  });

  it("an unknown password is not guessed at: the start fails, names the secret file and leaves no server running", async () => {
    const dataDir = path.join(root, "unknown");
    const other = await startEmbeddedPostgres({ dataDir, fixedPassword: "set-by-hand" });
    const port = other.port;
    await other.stop();
    await expect(startEmbeddedPostgres({ dataDir, port })).rejects.toThrow(`${dataDir}.secret`);
    expect(await login(`postgres://postgres:x@127.0.0.1:${port}/postgres`)).toBe("ECONNREFUSED");
  });
});
