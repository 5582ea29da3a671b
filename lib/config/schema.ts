import { z } from "zod";
import { criticalLineIssues } from "@/lib/alerts/rules";
import { UNKNOWN_RULE_MESSAGE, isRuleId } from "@/lib/alerts/types";

// The config file (pgpulse.config.json). Every field is validated at start-up; an error names
// the field's path, e.g. "targets.1.url: Invalid URL".

const GB = 1024 ** 3;

export const thresholdsSchema = z
  .object({
    /** slow_query: a statement slower than this, in milliseconds. */
    queryTimeMs: z.number().positive().default(1000),
    /** table_size: total size (heap + indexes + toast, partitions summed), in bytes. */
    tableSizeBytes: z.number().int().positive().default(10 * GB),
    /** index_bloat: estimated or exact bloat, in percent. */
    indexBloatPercent: z.number().min(0).max(100).default(30),
    /** cache_hit_ratio: the ratio over the window, in percent. */
    cacheHitRatioPercent: z.number().min(0).max(100).default(90),
  })
  .strict();

export type Thresholds = z.infer<typeof thresholdsSchema>;

export const severitySchema = z.enum(["info", "warning", "critical"]);

/** Per-rule overrides; the rule engine owns the defaults. Durations in seconds. */
export const ruleOverrideSchema = z
  .object({
    enabled: z.boolean().optional(),
    threshold: z.number().optional(),
    /** Hysteresis: once firing, the alert resolves only past this value. */
    clearThreshold: z.number().optional(),
    /** Past this value a firing episode turns critical; null: one severity, no critical line. */
    criticalThreshold: z.number().nullable().optional(),
    forSeconds: z.number().min(0).optional(),
    keepFiringForSeconds: z.number().min(0).optional(),
    severity: severitySchema.optional(),
    labels: z.record(z.string(), z.string()).optional(),
    minIndexBytes: z.number().int().min(0).optional(),
    windowSeconds: z.number().int().positive().optional(),
    minBlockAccesses: z.number().int().min(0).optional(),
    channels: z.array(z.string()).optional(),
  })
  .strict();

/**
 * Overrides by rule id. An id the rule registry lacks is refused (a misspelt rule would
 * otherwise change nothing, silently); the issue's path names the key.
 */
const rulesSchema = z.record(z.string(), ruleOverrideSchema).superRefine((rules, ctx) => {
  for (const id of Object.keys(rules)) if (!isRuleId(id)) ctx.addIssue({ code: "custom", path: [id], message: UNKNOWN_RULE_MESSAGE });
});

export const targetIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "must be lowercase letters, digits, '-' or '_' (max 63)");

const postgresUrl = z.string().url().refine((u) => /^postgres(ql)?:\/\//.test(u), "must be a postgres:// URL");

/** host:port/database of a URL: EXPLAIN must plan on the database the target monitors. */
function sameDatabase(a: string, b: string): boolean {
  const key = (u: URL) => `${u.hostname}:${u.port || "5432"}${decodeURIComponent(u.pathname)}`;
  try {
    return key(new URL(a)) === key(new URL(b));
  } catch {
    return true; // an invalid URL is reported by its own field
  }
}

/**
 * Tags (env, team, region, …) a target carries for filtering the fleet: short lowercase keys,
 * short values. Discovered targets carry their discovery's tags.
 */
export const tagsSchema = z
  .record(z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, "tag names are lowercase letters, digits, '-' or '_' (max 32)"), z.string().min(1).max(100))
  .refine((t) => Object.keys(t).length <= 16, "at most 16 tags");

export const targetSchema = z
  .object({
    id: targetIdSchema,
    name: z.string().min(1).max(200),
    url: postgresUrl,
    /**
     * Opt-in: the planning role EXPLAIN connects as (`npm run setup -- --explain-role …`), same
     * server and database as `url`. Without it EXPLAIN uses the monitoring role.
     */
    explainUrl: postgresUrl.optional(),
    // No defaults here: a target overrides only what it names, the rest comes from the
    // global thresholds (a partial() of the defaulted schema would re-apply the defaults).
    thresholds: z
      .object({
        queryTimeMs: z.number().positive().optional(),
        tableSizeBytes: z.number().int().positive().optional(),
        indexBloatPercent: z.number().min(0).max(100).optional(),
        cacheHitRatioPercent: z.number().min(0).max(100).optional(),
      })
      .strict()
      .optional(),
    rules: rulesSchema.optional(),
    /** The application's pool size, drawn on the connections chart when given. */
    poolSize: z.number().int().positive().optional(),
    tags: tagsSchema.optional(),
  })
  .strict()
  .refine((t) => t.explainUrl === undefined || sameDatabase(t.url, t.explainUrl), {
    message: "must name the same host, port and database as url (only the role differs)",
    path: ["explainUrl"],
  });

export type TargetConfig = z.infer<typeof targetSchema>;

export const channelSchema = z.discriminatedUnion("type", [
  z
    .object({
      id: z.string().min(1),
      type: z.literal("webhook"),
      url: z.string().url(),
      minSeverity: severitySchema.default("info"),
      targets: z.array(targetIdSchema).optional(),
    })
    .strict(),
  z
    .object({
      id: z.string().min(1),
      type: z.literal("slack"),
      url: z.string().url(),
      minSeverity: severitySchema.default("warning"),
      targets: z.array(targetIdSchema).optional(),
    })
    .strict(),
]);

export const userSchema = z
  .object({
    name: z.string().min(1).max(100),
    /** scrypt hash printed by `npm run hash-password`. */
    passwordHash: z.string().min(1),
    role: z.enum(["viewer", "responder", "admin"]),
  })
  .strict();

export const authSchema = z
  .object({
    mode: z.enum(["none", "builtin", "proxy"]).default("none"),
    users: z.array(userSchema).default([]),
    proxy: z
      .object({
        userHeader: z.string().min(1).default("x-forwarded-user"),
        roleHeader: z.string().min(1).optional(),
        defaultRole: z.enum(["viewer", "responder", "admin"]).default("viewer"),
        trustedAddresses: z.array(z.string().min(1)).min(1),
      })
      .strict()
      .optional(),
    sessionTtlSeconds: z.number().int().positive().default(8 * 3600),
    /**
     * Reverse proxies (IPs / CIDRs) whose X-Forwarded-Proto/-Host/-For are believed, e.g. a TLS
     * terminator in front of builtin sign-in. proxy.trustedAddresses are trusted as well.
     */
    trustedProxies: z.array(z.string().min(1)).default([]),
  })
  .strict();

/**
 * The URL people open pgpulse at, e.g. "https://pgpulse.example.com". Its host is the one name
 * besides loopback and IP addresses that pgpulse answers for (DNS rebinding, lib/auth/host.ts);
 * notifications link to it. Origin only: scheme, host, optional port.
 */
export const publicUrlSchema = z
  .string()
  .url()
  .refine((s) => {
    // zod runs this even when .url() has already failed.
    if (!URL.canParse(s)) return false;
    const u = new URL(s);
    return (u.protocol === "http:" || u.protocol === "https:") && !u.username && !u.password && u.pathname === "/" && !u.search && !u.hash;
  }, 'must be an http(s) origin such as "https://pgpulse.example.com" (no path, query or credentials)');

/**
 * Bounds on collection across targets (lib/collector/limits.ts). A target uses at most two
 * monitoring connections; targets on one server (host:port) share the server's budget, closing
 * an idle connection when another of them needs a slot.
 */
export const collectionSchema = z
  .object({
    /** Monitoring connections pgpulse opens to one server at most, all its targets together. */
    connectionsPerServer: z.number().int().min(1).max(1_000).default(20),
    /** Collection runs in flight at once in this process, all targets together. */
    concurrentRuns: z.number().int().min(1).max(1_000).default(16),
  })
  .strict();

/** A database-name pattern: `*` matches any run of characters (lib/alerts/silence-match.ts), no regex. */
const dbPattern = z.string().min(1).max(200);

/**
 * Opt-in: watch every database of a server (lib/fleet/discovery.ts). Each database that passes
 * include and not exclude becomes a target `<id>-<database>`; new ones are picked up within
 * intervalSeconds without a restart, dropped ones are retired.
 */
export const discoverySchema = z
  .object({
    id: targetIdSchema.refine((s) => s.length <= 24, "at most 24 characters (it prefixes the targets' ids)"),
    /** The monitoring role on any database of the server; the path names where the list is read. */
    url: postgresUrl,
    include: z.array(dbPattern).min(1).default(["*"]),
    exclude: z.array(dbPattern).default([]),
    intervalSeconds: z.number().int().min(5).max(3_600).default(60),
    tags: tagsSchema.optional(),
  })
  .strict();

export const configSchema = z
  .object({
    publicUrl: publicUrlSchema.optional(),
    targets: z.array(targetSchema).default([]),
    thresholds: thresholdsSchema.default(thresholdsSchema.parse({})),
    rules: rulesSchema.default({}),
    channels: z.array(channelSchema).default([]),
    auth: authSchema.default(authSchema.parse({})),
    collection: collectionSchema.default(collectionSchema.parse({})),
    discovery: z.array(discoverySchema).default([]),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.targets.forEach((t, i) => {
      if (seen.has(t.id)) ctx.addIssue({ code: "custom", path: ["targets", i, "id"], message: `duplicate target id "${t.id}"` });
      seen.add(t.id);
    });
    const rules = new Set<string>();
    cfg.discovery.forEach((d, i) => {
      if (rules.has(d.id)) ctx.addIssue({ code: "custom", path: ["discovery", i, "id"], message: `duplicate discovery id "${d.id}"` });
      rules.add(d.id);
    });
    for (const issue of criticalLineIssues(cfg)) ctx.addIssue({ code: "custom", ...issue });
  });

export type PgpulseConfig = z.infer<typeof configSchema>;
