import "server-only";
import { z } from "zod";

// The one reader of process.env. Parsed once, on first use, and never skipped: a bad value
// stops start-up with a message naming the variable.

const flag = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off", ""])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  PGPULSE_CONFIG: z.string().min(1).optional(),
  PGPULSE_STORE_URL: z.string().url().optional(),
  PGPULSE_DATA_DIR: z.string().min(1).default(".pgpulse"),
  // Not 54329/54330: those are the demo's servers, and `npm run demo` may run beside `npm start`.
  PGPULSE_STORE_PORT: z.coerce.number().int().min(1024).max(65535).default(54340),
  PGPULSE_DEMO: flag.default(false),
  PGPULSE_DEMO_TABLE_SIZE_BYTES: z.coerce.number().int().positive().optional(),
  PGPULSE_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  PGPULSE_COLLECTOR: flag.default(true),
  /** Per-task interval overrides in ms, JSON: {"index_bloat": 20000}. For tests and tuning. */
  PGPULSE_INTERVALS: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      try {
        const parsed = z.record(z.string(), z.number().int().min(500)).parse(JSON.parse(s));
        return parsed;
      } catch {
        ctx.addIssue({ code: "custom", message: 'must be JSON like {"index_bloat": 20000} (ms, ≥ 500)' });
        return z.NEVER;
      }
    }),
  /** This instance's readable name among several sharing one store (default: the host name). */
  PGPULSE_INSTANCE_NAME: z.string().min(1).max(100).optional(),
  /** How long a target lease lasts without renewal, in ms (docs/SCALING.md). */
  PGPULSE_LEASE_TTL_MS: z.coerce.number().int().min(1_000).max(300_000).optional(),
  PGPULSE_SESSION_SECRET: z.string().min(32).optional(),
  /** Optional bearer token for Prometheus scrapes of GET /api/metrics (docs/SECURITY.md). */
  PGPULSE_METRICS_TOKEN: z.string().min(24).optional(),
  HOSTNAME: z.string().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).optional(),
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
