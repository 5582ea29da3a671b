import "server-only";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { configSchema, type PgpulseConfig, type TargetConfig, type Thresholds } from "./schema";

export class ConfigError extends Error {}

/** Validates a parsed config object; throws ConfigError naming each bad field. */
export function parseConfig(raw: unknown, source = "config"): PgpulseConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new ConfigError(`Invalid ${source}:\n${lines.join("\n")}`);
  }
  return result.data;
}

export interface LoadOptions {
  configPath?: string;
  databaseUrl?: string;
  demoTableSizeBytes?: number;
}

/**
 * The config file (explicit path, or ./pgpulse.config.json when present), plus DATABASE_URL as
 * a target named "default" when the file lists none.
 */
export function loadConfig(opts: LoadOptions): PgpulseConfig {
  const file = opts.configPath ?? (existsSync("pgpulse.config.json") ? "pgpulse.config.json" : undefined);
  let raw: unknown = {};
  if (file) {
    const full = path.resolve(file);
    if (!existsSync(full)) throw new ConfigError(`Config file not found: ${full} (PGPULSE_CONFIG)`);
    try {
      raw = JSON.parse(readFileSync(full, "utf8"));
    } catch (e) {
      throw new ConfigError(`Config file ${full} is not valid JSON: ${(e as Error).message}`);
    }
  }
  const cfg = parseConfig(raw, file ? `config file ${file}` : "config");
  if (cfg.targets.length === 0 && opts.databaseUrl) {
    cfg.targets.push(parseConfig({ targets: [{ id: "default", name: databaseName(opts.databaseUrl), url: opts.databaseUrl }] }).targets[0]);
  }
  if (opts.demoTableSizeBytes) {
    // The demo lowers only the table-size threshold so its tables can cross it; the UI says so.
    cfg.thresholds.tableSizeBytes = opts.demoTableSizeBytes;
  }
  return cfg;
}

export function thresholdsFor(cfg: PgpulseConfig, target: TargetConfig): Thresholds {
  const own = Object.fromEntries(Object.entries(target.thresholds ?? {}).filter(([, v]) => v !== undefined));
  return { ...cfg.thresholds, ...own };
}

function databaseName(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.replace(/^\//, "")) || "postgres";
  } catch {
    return "default";
  }
}
