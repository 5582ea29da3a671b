import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

// A fresh database per test file, on the server of the wanted major version.

export interface TestDatabase {
  url: string;
  name: string;
  /** Superuser URL of the same server's "postgres" database. */
  adminUrl: string;
  drop(): Promise<void>;
}

export function serverUrl(major: number | string = 17): string {
  const url = inject("pgUrls")[String(major)];
  if (!url) throw new Error(`no test server for PostgreSQL ${major}`);
  return url;
}

export const SUPPORTED_MAJORS = [13, 14, 15, 16, 17, 18] as const;

/**
 * A fresh database's name and URL, chosen at once; `create()` makes it. For a set-up that must
 * hand out the URL (or a lazily connecting pool) before its beforeAll runs.
 */
export function planTestDatabase(major: number | string = 17, prefix = "t"): TestDatabase & { create(): Promise<void> } {
  const adminUrl = serverUrl(major);
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  const onAdmin = async (sql: string) => void (await withClient(adminUrl, (c) => c.query(sql)));
  return {
    url: adminUrl.replace(/\/postgres$/, `/${name}`),
    name,
    adminUrl,
    create: () => onAdmin(`CREATE DATABASE ${name}`),
    drop: () => onAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

export async function createTestDatabase(major: number | string = 17, prefix = "t"): Promise<TestDatabase> {
  const db = planTestDatabase(major, prefix);
  await db.create();
  return db;
}

/** The same server and database as another role: the superuser's password is random per run. */
export function urlAs(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** One connection for the callback, always closed. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
