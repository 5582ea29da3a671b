// No server-only import: scripts/hash-password.ts runs this under plain tsx. It reads no
// secret itself, and node:crypto keeps it out of any client bundle regardless.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

// Password hashes: scrypt (memory-hard), encoded "scrypt$N$r$p$salt$hash" with base64url salt and
// hash, so parameters can be raised later without breaking stored hashes.

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

// N=2^15, r=8 uses 32 MiB per hash (128·N·r bytes) and took ≈ 0.34 s per verify here: slow
// enough to make offline guessing expensive, fast enough for a sign-in.
export const DEFAULT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
// Upper bounds for parameters read from a stored hash, so a crafted config cannot make one
// verification take minutes or gigabytes (128·N·r bytes of memory).
const MAX_MEMORY = 256 * 1024 * 1024;
const MAX_P = 16;

function scryptAsync(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function options({ N, r, p }: ScryptParams): ScryptOptions {
  return { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_PARAMS): Promise<string> {
  if (password.length === 0) throw new Error("password must not be empty");
  const salt = randomBytes(SALT_LENGTH);
  const key = await scryptAsync(password.normalize("NFKC"), salt, KEY_LENGTH, options(params));
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export interface ParsedHash extends ScryptParams {
  salt: Buffer;
  key: Buffer;
}

/** Null for anything that is not a well-formed scrypt hash within the allowed parameters. */
export function parseHash(encoded: string): ParsedHash | null {
  const parts = encoded.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return null;
  const [N, r, p] = parts.slice(1, 4).map((x) => (/^\d+$/.test(x) ? Number(x) : NaN));
  if (!N || !r || !p) return null;
  if (N < 2 || (N & (N - 1)) !== 0 || 128 * N * r > MAX_MEMORY || p > MAX_P) return null;
  const b64 = /^[A-Za-z0-9_-]+$/;
  if (!b64.test(parts[4]) || !b64.test(parts[5])) return null;
  const salt = Buffer.from(parts[4], "base64url");
  const key = Buffer.from(parts[5], "base64url");
  if (salt.length < 8 || key.length < 16) return null;
  return { N, r, p, salt, key };
}

/** Constant-time comparison of the derived key; false (never a throw) for a malformed hash. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parseHash(encoded);
  if (!parsed) {
    await burn();
    return false;
  }
  const key = await scryptAsync(password.normalize("NFKC"), parsed.salt, parsed.key.length, options(parsed));
  return timingSafeEqual(key, parsed.key);
}

// The same work as a real verification, for an unknown user or a malformed hash: the response
// time must not tell an attacker which user names exist.
const DUMMY_SALT = randomBytes(SALT_LENGTH);
async function burn(): Promise<void> {
  await scryptAsync("pgpulse-no-such-user", DUMMY_SALT, KEY_LENGTH, options(DEFAULT_PARAMS));
}

export interface StoredUser<R extends string = string> {
  name: string;
  passwordHash: string;
  role: R;
}

/**
 * Finds the user and checks the password. An unknown name spends one scrypt at default cost
 * too, so timing does not reveal which names exist.
 */
export async function verifyCredentials<U extends StoredUser>(users: readonly U[], name: string, password: string): Promise<U | null> {
  const user = users.find((u) => u.name === name);
  if (!user) {
    await burn();
    return null;
  }
  return (await verifyPassword(password, user.passwordHash)) ? user : null;
}
