import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";

// A SCRAM-SHA-256 verifier computed here, so CREATE/ALTER ROLE … PASSWORD never carries the
// clear-text password: pg_stat_statements (track=all) and the server log would keep it.
// Format and derivation as PostgreSQL stores them in pg_authid.rolpassword (RFC 5802/7677).
// Passwords are used as given (no SASLprep): identical for ASCII, which generated ones are.

const ITERATIONS = 4096;

export function scramVerifier(password: string, salt: Buffer = randomBytes(16)): string {
  const salted = pbkdf2Sync(password, salt, ITERATIONS, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  return `SCRAM-SHA-256$${ITERATIONS}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}
