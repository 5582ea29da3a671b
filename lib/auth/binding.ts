// The loopback rule: with sign-in off, pgpulse may only listen on the loopback interface.
// No server-only import: pure, and called from instrumentation.ts at start.

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"]);

export class UnsafeBindingError extends Error {}

export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  return LOOPBACK_HOSTS.has(h) || /^127(\.\d{1,3}){3}$/.test(h);
}

export interface BindingInput {
  /** The address the server listens on; undefined means Next's default, all interfaces. */
  host: string | undefined;
  authMode: "none" | "builtin" | "proxy";
}

export function assertSafeBinding({ host, authMode }: BindingInput): void {
  if (authMode !== "none") return;
  const effective = host?.trim() || "0.0.0.0";
  if (isLoopbackHost(effective)) return;
  throw new UnsafeBindingError(
    [
      `pgpulse refuses to start: sign-in is off (auth.mode "none") but the server would listen on ${effective}.`,
      "Without sign-in anyone who can reach the port could read query text and cancel sessions.",
      "Either listen on loopback only:  next start -H 127.0.0.1  (or HOSTNAME=127.0.0.1 for the standalone server)",
      'or turn sign-in on in pgpulse.config.json: "auth": { "mode": "builtin", "users": [...] } with',
      "PGPULSE_SESSION_SECRET set (see docs/SECURITY.md), or \"mode\": \"proxy\" behind an authenticating proxy.",
    ].join("\n"),
  );
}

export interface BindHost {
  /** The host given on the command line or in HOSTNAME; undefined means all interfaces. */
  host: string | undefined;
  /** False in the `next dev` worker, whose command line does not carry `-H`. */
  certain: boolean;
}

/**
 * The host `next start` binds to. Next does not put `-H` into the environment (it only passes
 * it to server.listen), so read it from the command line; HOSTNAME is what the standalone
 * server.js reads. Without either, Next listens on every interface. `next dev` forks a worker
 * and hands it the host over IPC, so there the answer is uncertain and the per-request check in
 * proxy.ts (peer and bound address must be loopback) is what holds.
 */
export function resolveBindHost(argv: readonly string[], hostnameEnv: string | undefined): BindHost {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if ((a === "-H" || a === "--hostname") && argv[i + 1]) return { host: argv[i + 1], certain: true };
    if (a.startsWith("--hostname=")) return { host: a.slice("--hostname=".length), certain: true };
  }
  if (hostnameEnv) return { host: hostnameEnv, certain: true };
  const devWorker = argv.some((a) => /[\\/]start-server\.js$/.test(a));
  return { host: undefined, certain: !devWorker };
}
