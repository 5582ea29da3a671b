import "server-only";
import { z } from "zod";
import { globMatches } from "@/lib/alerts/silence-match";
import type { PgpulseConfig, TargetConfig } from "@/lib/config/schema";
import { APPLICATION_NAMES } from "@/lib/db/application-names";
import { createTargetPool } from "@/lib/db/pool";
import { many } from "@/lib/db/query";

// Opt-in discovery of every database on a server. Each rule's database list is re-read every
// intervalSeconds on a one-connection pool closed after each read; the wanted targets are
// computed by a pure function, and the caller adds and retires targets from the difference.

type DiscoveryRule = PgpulseConfig["discovery"][number];

/** Whether a database passes a rule: some include pattern matches and no exclude pattern does. */
export function databaseWanted(rule: Pick<DiscoveryRule, "include" | "exclude">, datname: string): boolean {
  return rule.include.some((p) => globMatches(p, datname)) && !rule.exclude.some((p) => globMatches(p, datname));
}

/**
 * A target id from a database name: lowercase, anything outside [a-z0-9_-] as "_", within the
 * 63 characters a target id may have (collisions are settled by discoveredTargets).
 */
export function discoveredTargetId(ruleId: string, datname: string): string {
  const safe = datname.toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  return `${ruleId}-${safe}`.slice(0, 63);
}

/** The targets a rule wants for the databases a server lists now (sorted, one per id). */
export function discoveredTargets(rule: DiscoveryRule, datnames: readonly string[]): TargetConfig[] {
  const byId = new Map<string, TargetConfig>();
  for (const datname of [...datnames].sort()) {
    if (!databaseWanted(rule, datname)) continue;
    const id = discoveredTargetId(rule.id, datname);
    // Two names folding to one id (e.g. "Sales" and "sales"): the first keeps it; the other is
    // left out rather than watched under a name that is not its own.
    if (byId.has(id)) continue;
    const url = new URL(rule.url);
    url.pathname = `/${encodeURIComponent(datname)}`;
    byId.set(id, { id, name: datname, url: url.toString(), ...(rule.tags ? { tags: rule.tags } : {}) });
  }
  return [...byId.values()];
}

const datnameRow = z.object({ datname: z.string() });

/** Databases a client may connect to (templates and datallowconn = false left out). */
export async function listDatabases(url: string): Promise<string[]> {
  const pool = createTargetPool({ url, max: 1, applicationName: APPLICATION_NAMES.discovery });
  try {
    const rows = await many(
      pool,
      datnameRow,
      "/* pgpulse */ SELECT datname::text AS datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname",
      [],
      "discovery: databases",
    );
    return rows.map((r) => r.datname);
  } finally {
    await pool.end().catch(() => {});
  }
}

export interface DiscoveryChange {
  added: TargetConfig[];
  retired: string[];
}

export interface Discovery {
  /** Reads every rule once now (the first read happens before start() returns). */
  refresh(): Promise<void>;
  start(): Promise<void>;
  stop(): void;
}

/**
 * Polls each rule and reports the difference from what it reported before. A rule whose server
 * does not answer changes nothing: its targets stay (and show as down) until a read succeeds.
 */
export function createDiscovery(opts: {
  rules: readonly DiscoveryRule[];
  onChange(change: DiscoveryChange): Promise<void> | void;
  log: { warn(obj: object, msg: string): void };
  list?: (url: string) => Promise<string[]>;
}): Discovery {
  const list = opts.list ?? listDatabases;
  const known = new Map<string, Set<string>>(opts.rules.map((r) => [r.id, new Set()]));
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;

  async function readRule(rule: DiscoveryRule): Promise<void> {
    let datnames: string[];
    try {
      datnames = await list(rule.url);
    } catch (e) {
      opts.log.warn({ discovery: rule.id, error: e instanceof Error ? e.message : String(e) }, "database discovery failed; targets unchanged");
      return;
    }
    if (stopped) return;
    const wanted = discoveredTargets(rule, datnames);
    const before = known.get(rule.id)!;
    const now = new Set(wanted.map((t) => t.id));
    const change = { added: wanted.filter((t) => !before.has(t.id)), retired: [...before].filter((id) => !now.has(id)) };
    known.set(rule.id, now);
    if (change.added.length || change.retired.length) await opts.onChange(change);
  }

  const refresh = async () => {
    for (const rule of opts.rules) await readRule(rule);
  };

  return {
    refresh,
    async start() {
      await refresh();
      for (const rule of opts.rules) {
        const every = rule.intervalSeconds * 1_000;
        const loop = () => {
          if (stopped) return;
          timers.push(setTimeout(() => void readRule(rule).finally(loop), every));
        };
        loop();
      }
    },
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
    },
  };
}
