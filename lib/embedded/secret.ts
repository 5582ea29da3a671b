import { randomBytes } from "node:crypto";
import { chmod, open, readFile, rename, rm, stat } from "node:fs/promises";
import pg from "pg";
import { scramVerifier } from "../setup/scram";

// The superuser password of an embedded server. Each data directory gets its own random one,
// kept in `<dataDir>.secret` (owner-only): beside the directory rather than inside it, because
// initdb wants a missing or empty directory, and because as root the directory belongs to the
// unprivileged "postgres" user while the file stays root's (only the Node process reads it).

export const EMBEDDED_USER = "postgres";
/** What every embedded server used before secrets were generated; only ever tried to replace it. */
const LEGACY_PASSWORD = "postgres";

export const secretFileOf = (dataDir: string) => `${dataDir}.secret`;
const pendingFileOf = (dataDir: string) => `${dataDir}.secret.pending`;

export function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** The stored secret, or null when there is no file. */
export async function readSecret(file: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  const secret = text.trim();
  if (!secret || secret.includes("\n")) throw new Error(`${file} must hold the superuser password on one line`);
  // A copy made with a loose umask (cp -r, an archive) would stay readable by everyone.
  if ((await stat(file)).mode & 0o077) await chmod(file, 0o600);
  return secret;
}

/** Write-then-rename: a crash never leaves a half-written secret, and the mode is 0600 from the start. */
export async function writeSecret(file: string, secret: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await rm(tmp, { force: true });
  const fh = await open(tmp, "wx", 0o600);
  try {
    await fh.writeFile(`${secret}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
}

export async function removeSecret(dataDir: string): Promise<void> {
  await Promise.all([rm(secretFileOf(dataDir), { force: true }), rm(pendingFileOf(dataDir), { force: true })]);
}

/**
 * The secret for a data directory initialised before secrets existed, chosen before the server
 * starts. A pending one left by an interrupted migration is reused: the role may already have it.
 */
export async function legacySecret(dataDir: string): Promise<string> {
  const pending = await readSecret(pendingFileOf(dataDir));
  if (pending) return pending;
  const secret = newSecret();
  await writeSecret(pendingFileOf(dataDir), secret);
  return secret;
}

/**
 * Replaces the legacy password of a running server with `secret` and commits the secret file.
 * Upgrading users' demo and store directories were initialised with postgres/postgres; leaving
 * them so would keep the hole open exactly where data already is.
 */
export async function migrateLegacyPassword(dataDir: string, port: number, secret: string): Promise<void> {
  const connect = async (password: string) => {
    const c = new pg.Client({ host: "127.0.0.1", port, user: EMBEDDED_USER, password, database: "postgres" });
    try {
      await c.connect();
      return c;
    } catch (e) {
      await c.end().catch(() => {});
      if ((e as { code?: string }).code === "28P01") return null;
      throw e;
    }
  };
  const legacy = await connect(LEGACY_PASSWORD);
  if (legacy) {
    try {
      // A verifier, never the clear text: the server log and pg_stat_statements keep statements.
      // Not even the verifier in pg_stat_statements, which the dashboard's query pages show.
      await legacy.query(
        "SELECT set_config('pg_stat_statements.track_utility', 'off', false) WHERE current_setting('pg_stat_statements.track_utility', true) IS NOT NULL",
      );
      const { rows } = await legacy.query<{ s: string }>(`SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text) AS s`, [EMBEDDED_USER, scramVerifier(secret)]);
      await legacy.query(rows[0].s);
    } finally {
      await legacy.end();
    }
  } else {
    // Refused: either an earlier migration got as far as ALTER ROLE, or the password was changed by hand.
    const adopted = await connect(secret);
    if (!adopted) {
      throw new Error(
        `the superuser password of ${dataDir} is neither the pending nor the legacy one: write it on one line into ${secretFileOf(dataDir)} (mode 0600), or remove the data directory to start afresh`,
      );
    }
    await adopted.end();
  }
  await rename(pendingFileOf(dataDir), secretFileOf(dataDir));
}
