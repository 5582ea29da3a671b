import "server-only";
import { logger } from "@/lib/log";

/** The slice of pino the alert code uses; tests pass a recorder, production the app logger. */
export interface AlertLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export function defaultLog(module: string): AlertLog {
  let l: AlertLog | undefined;
  const get = () => (l ??= logger().child({ module }));
  return {
    info: (o, m) => get().info(o, m),
    warn: (o, m) => get().warn(o, m),
    error: (o, m) => get().error(o, m),
  };
}

/** Error text safe for logs and the store: no URL (webhook URLs are secrets), bounded length. */
export function safeError(e: unknown): string {
  const err = e as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  const code = err?.cause?.code ?? err?.code;
  const message = String(err?.message ?? e).replace(/[a-z]+:\/\/\S+/gi, "<url>");
  return (code ? `${code}: ${message}` : message).slice(0, 300);
}
