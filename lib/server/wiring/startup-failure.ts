import "server-only";
import { ConfigError } from "@/lib/config/load";
import { EmbeddedStartError } from "@/lib/embedded/start-error";
import { EnvError } from "@/lib/env";
import { AuthConfigError } from "@/lib/auth/settings";
import { UnsafeBindingError } from "@/lib/auth/binding";
import { scrubSecrets } from "@/lib/log";

// A failed start must end the process with one line an operator can act on: what failed and
// what to change. Next prints "Ready" before instrumentation finishes, so without this line and
// a non-zero exit the server looks healthy while answering every request with a 500.

/** Filesystem codes that mean the data directory (or a folder on its way) cannot be used. */
const UNUSABLE_DIR = new Set(["EACCES", "EPERM", "ENOTDIR", "EEXIST", "EROFS", "ENOSPC", "ELOOP"]);

type Errno = Error & { code?: string; path?: string };

/** "pgpulse could not start: <cause>. <fix>" for any value a start-up may throw. */
export function startupFailureLine(e: unknown): string {
  const [cause, fix] = explain(e);
  return scrubSecrets(`pgpulse could not start: ${oneLine(cause)}. ${fix}`);
}

function explain(e: unknown): [cause: string, fix: string] {
  if (e instanceof EmbeddedStartError) {
    if (e.portInUse) {
      return [`port ${e.port} is in use (the embedded history store)`, "Stop what uses it, or set PGPULSE_STORE_PORT / PGPULSE_STORE_URL."];
    }
    return [`the embedded history store failed: ${e.message}`, "Fix or remove that directory, or set PGPULSE_DATA_DIR / PGPULSE_STORE_URL."];
  }
  if (e instanceof EnvError) return [e.message, "Fix or unset the variables named (docs/CONFIG.md)."];
  if (e instanceof ConfigError) return [e.message, "Fix the fields named (docs/CONFIG.md)."];
  if (e instanceof AuthConfigError || e instanceof UnsafeBindingError) return [e.message, "See docs/SECURITY.md."];
  if (e instanceof Error && UNUSABLE_DIR.has((e as Errno).code ?? "")) {
    const err = e as Errno;
    return [
      `the data directory is unusable: ${err.path ?? "?"} (${err.code})`,
      "Make it a writable folder for this user, or set PGPULSE_DATA_DIR to one (or PGPULSE_STORE_URL).",
    ];
  }
  if (e instanceof Error) return [e.message || e.name, "Run with PGPULSE_LOG_LEVEL=debug for details."];
  return [`an unexpected ${e === undefined ? "undefined" : typeof e} was thrown (${String(e)})`, "Run with PGPULSE_LOG_LEVEL=debug for details."];
}

/** Env and config errors put a header, then one issue per line; the log line keeps them all. */
function oneLine(text: string): string {
  const [head = "", ...issues] = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return [head, issues.join("; ")].filter(Boolean).join(" ").replace(/\.$/, "");
}
