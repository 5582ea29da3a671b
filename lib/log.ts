import "server-only";
import pino from "pino";
import { env } from "./env";

// Connection strings, passwords and webhook URLs must never reach a log line.
const REDACT = [
  "url",
  "*.url",
  "connectionString",
  "*.connectionString",
  "password",
  "*.password",
  "passwordHash",
  "*.passwordHash",
  "headers.authorization",
  "headers.cookie",
];

const URL_WITH_PASSWORD = /(postgres(?:ql)?:\/\/[^:/\s]+:)[^@\s]+@/gi;

/** Masks credentials inside free text (error messages can embed a connection string). */
export function scrubSecrets(text: string): string {
  return text.replace(URL_WITH_PASSWORD, "$1***@").replace(/(https?:\/\/)[^\s"']*hooks[^\s"']*/gi, "$1***");
}

let root: pino.Logger | undefined;

export function logger(): pino.Logger {
  root ??= pino({
    level: env().PGPULSE_LOG_LEVEL,
    redact: { paths: REDACT, censor: "***" },
    base: { app: "pgpulse" },
    formatters: {
      log: (obj) => (typeof obj.err === "object" && obj.err ? { ...obj, err: { message: scrubSecrets(String((obj.err as Error).message)) } } : obj),
    },
  });
  return root;
}
