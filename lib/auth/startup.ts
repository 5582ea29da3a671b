import "server-only";
import { env } from "@/lib/env";
import { assertSafeBinding, resolveBindHost } from "./binding";
import { installPeerTagging } from "./peer";
import { authSettings, type AuthSettings } from "./settings";

/**
 * Called once from instrumentation.ts (Node runtime) before the first request: tags requests
 * with their socket peer, validates the auth config (builtin without PGPULSE_SESSION_SECRET
 * refuses), and applies the loopback rule. Throws with a message saying what to change.
 */
export function startAuth(argv: readonly string[] = process.argv): AuthSettings {
  installPeerTagging();
  const settings = authSettings();
  const bind = resolveBindHost(argv, env().HOSTNAME);
  if (bind.certain) assertSafeBinding({ host: bind.host, authMode: settings.mode });
  return settings;
}
