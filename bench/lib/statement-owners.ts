import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import pg from "pg";
import type { CollectorTask } from "@/lib/collector/types";
import { fingerprintSql } from "@/lib/analysis/sql-text";

// Which collector task sent which statement, so the server's own accounting
// (pg_stat_statements, keyed by normalized text) can be split per task. Every task's run is
// wrapped in an async context naming the task, and every statement a pg client sends in it is
// recorded under its fingerprint (constants ignored, as pg_stat_statements ignores them).
// Statements outside any task are the collector's own probe.

export const PROBE_OWNER = "server";
const current = new AsyncLocalStorage<string>();
const owners = new Map<string, Set<string>>();

let installed = false;

/** Records the owner of each statement sent from now on (once per process). */
export function recordStatementOwners(): void {
  if (installed) return;
  installed = true;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === "string" ? first : (first as { text?: unknown } | null)?.text;
    if (typeof text === "string") {
      const fp = fingerprintSql(text);
      const set = owners.get(fp) ?? new Set<string>();
      set.add(current.getStore() ?? PROBE_OWNER);
      owners.set(fp, set);
    }
    return original.apply(this, args);
  };
}

export function withOwner(task: CollectorTask): CollectorTask {
  return { ...task, run: (ctx) => current.run(task.id, () => task.run(ctx)) };
}

/** The task that sent a statement; statements several tasks send (e.g. the timeout change) are "shared". */
export function ownerOf(queryText: string): string {
  const set = owners.get(fingerprintSql(queryText));
  if (!set) return "unattributed";
  return set.size === 1 ? [...set][0] : `shared: ${[...set].sort().join(", ")}`;
}
