import "server-only";
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

// The demo monitoring role's password: generated once, kept next to the demo data (git-ignored)
// with owner-only permissions, so restarts reuse it and it never needs printing.

const secretsSchema = z.object({ monitorPassword: z.string().min(16) });
export type DemoSecrets = z.infer<typeof secretsSchema>;

export async function loadOrCreateSecrets(file: string): Promise<DemoSecrets> {
  try {
    const parsed = secretsSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
    if (parsed.success) return parsed.data;
  } catch {
    // Missing or unreadable: a new one is written below.
  }
  const secrets: DemoSecrets = { monitorPassword: randomBytes(24).toString("base64url") };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
  await chmod(file, 0o600);
  return secrets;
}
