import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "@/lib/config/load";
import { embeddedStartError, EmbeddedStartError } from "@/lib/embedded/start-error";
import { parseEnv } from "@/lib/env";
import { startupFailureLine } from "./startup-failure";

// The one line a failed start prints: what failed, then what to change. Each case is a value a
// real start-up throws (made by the same code where that is cheap).

function errno(code: string, p: string): Error {
  return Object.assign(new Error(`${code}: failed, mkdir '${p}'`), { code, path: p });
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

const PG_BIND_LOG = [
  '2026-12-06 LOG:  could not bind IPv4 address "127.0.0.1": Address already in use',
  'WARNING:  could not create listen socket for "127.0.0.1"',
  "FATAL:  could not create any TCP/IP sockets",
].join("\n");

const cases: Array<{ name: string; error: unknown; line: string }> = [
  {
    name: "store port taken: the postmaster exits and the package rejects with nothing",
    error: embeddedStartError(undefined, PG_BIND_LOG, 54340, "/srv/.pgpulse/store-pg"),
    line: "pgpulse could not start: port 54340 is in use (the embedded history store). Stop what uses it, or set PGPULSE_STORE_PORT / PGPULSE_STORE_URL.",
  },
  {
    name: "store exits for another reason: PostgreSQL's FATAL line is the cause",
    error: embeddedStartError(undefined, 'FATAL:  data directory "/srv/store-pg" has invalid permissions', 54340, "/srv/store-pg"),
    line: 'pgpulse could not start: the embedded history store failed: PostgreSQL in /srv/store-pg did not start on port 54340: data directory "/srv/store-pg" has invalid permissions. Fix or remove that directory, or set PGPULSE_DATA_DIR / PGPULSE_STORE_URL.',
  },
  {
    name: "data directory not writable (EACCES)",
    error: errno("EACCES", "/srv/.pgpulse"),
    line: "pgpulse could not start: the data directory is unusable: /srv/.pgpulse (EACCES). Make it a writable folder for this user, or set PGPULSE_DATA_DIR to one (or PGPULSE_STORE_URL).",
  },
  {
    name: "data directory is a file (ENOTDIR)",
    error: errno("ENOTDIR", "/srv/file/store-pg"),
    line: "pgpulse could not start: the data directory is unusable: /srv/file/store-pg (ENOTDIR). Make it a writable folder for this user, or set PGPULSE_DATA_DIR to one (or PGPULSE_STORE_URL).",
  },
  {
    name: "environment variable out of range names the variable",
    error: thrownBy(() => parseEnv({ PGPULSE_STORE_PORT: "80" })),
    line: "pgpulse could not start: Invalid environment: PGPULSE_STORE_PORT: Too small: expected number to be >=1024. Fix or unset the variables named (docs/CONFIG.md).",
  },
  {
    name: "config error names the field",
    error: thrownBy(() => parseConfig({ targets: [{ id: "a", name: "A" }] }, "config file pgpulse.config.json")),
    line: "pgpulse could not start: Invalid config file pgpulse.config.json: targets.0.url: Invalid input: expected string, received undefined. Fix the fields named (docs/CONFIG.md).",
  },
  {
    name: "a password in a message never reaches the log",
    error: new ConfigError("Config file x: cannot reach postgres://u:hunter2@db:5432/app"),
    line: "pgpulse could not start: Config file x: cannot reach postgres://u:***@db:5432/app. Fix the fields named (docs/CONFIG.md).",
  },
  {
    name: "a rejection with no value (the old TypeError) still gives a line",
    error: undefined,
    line: "pgpulse could not start: an unexpected undefined was thrown (undefined). Run with PGPULSE_LOG_LEVEL=debug for details.",
  },
];

describe("startupFailureLine", () => {
  it.each(cases)("$name", ({ error, line }) => {
    expect(startupFailureLine(error)).toBe(line);
  });

  it("is always one line", () => {
    for (const { error } of cases) expect(startupFailureLine(error)).not.toContain("\n");
  });

  it("tells a taken port from other exits by PostgreSQL's own log", () => {
    expect(embeddedStartError(undefined, PG_BIND_LOG, 1, "/d")).toMatchObject({ portInUse: true, port: 1 });
    expect(embeddedStartError(undefined, "FATAL:  lock file exists", 1, "/d")).toBeInstanceOf(EmbeddedStartError);
    expect(embeddedStartError(undefined, "FATAL:  lock file exists", 1, "/d").portInUse).toBe(false);
  });
});
