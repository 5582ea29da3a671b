import "server-only";
import type { TaskContext, TaskRun } from "@/lib/collector/types";
import { toDbError } from "@/lib/db/errors";
import { many } from "@/lib/db/query";
import { withStatementTimeout } from "@/lib/db/statement-timeout";
import { INDEX_STATS_CHANGING_SQL, indexStats, indexStatsChangingRow, type IndexStatsRow } from "@/lib/metrics/definitions/index-stats";
import { runMetric, unavailableReason } from "@/lib/metrics/run";
import type { MetricResult } from "@/lib/metrics/types";

// index_stats in two parts: definitions (pg_get_indexdef, duplicates and prefixes, by far the
// dearer part) change only with the catalog, sizes and scan counters at every run. Each run
// reads the changing part with a version of the catalog rows the definitions come from; while
// that version stands, the definitions of the last full read are kept and the changing
// columns replaced. A new version, an index missing on either side, or an hour passed (what
// the version cannot see, such as a renamed operator class) makes the run a full read.

const MAX_AGE_MS = 3_600_000;

interface Known {
  version: string;
  at: number;
  rows: IndexStatsRow[];
}

const keyOf = (r: { schemaname: string; index: string }) => `${r.schemaname}\u0000${r.index}`;

export function createIndexStatsTask(): TaskRun {
  const known = new Map<string, Known>();

  return {
    // Two statements at most, each under the definition's statement timeout.
    timeoutMs: 2 * indexStats.timeoutMs,
    async run(ctx: TaskContext): Promise<MetricResult> {
      const ts = ctx.now();
      const reason = unavailableReason(indexStats, ctx.caps);
      if (reason) return { status: "unavailable", metric: indexStats.id, targetId: ctx.targetId, ts, reason };
      const started = performance.now();
      let changing;
      try {
        changing = await withStatementTimeout(ctx.pool, indexStats.timeoutMs, (client) =>
          many(client, indexStatsChangingRow, INDEX_STATS_CHANGING_SQL, [], indexStats.id));
      } catch (e) {
        const err = toDbError(e);
        return { status: "error", metric: indexStats.id, targetId: ctx.targetId, ts, durationMs: performance.now() - started, error: err.message, code: err.code };
      }
      const version = changing[0]?.catalog_version ?? "";
      const prev = known.get(ctx.targetId);
      const byKey = new Map(changing.map((r) => [keyOf(r), r]));
      if (prev && prev.version === version && ts.getTime() - prev.at < MAX_AGE_MS
        && prev.rows.length === changing.length && prev.rows.every((r) => byKey.has(keyOf(r)))) {
        const rows = prev.rows.map((r): IndexStatsRow => {
          const c = byKey.get(keyOf(r))!;
          return {
            ...r,
            size_bytes: c.size_bytes, size_unavailable: c.size_unavailable,
            idx_scan: c.idx_scan, idx_tup_read: c.idx_tup_read, idx_tup_fetch: c.idx_tup_fetch, unused: c.unused,
          };
        });
        return { status: "ok", metric: indexStats.id, targetId: ctx.targetId, ts, durationMs: performance.now() - started, rows };
      }
      // Read after the version: a change in between shows as a new version at the next run.
      const changingMs = performance.now() - started;
      const full = await runMetric(ctx.pool, indexStats, ctx.caps, ctx.targetId, ctx.now);
      if (full.status === "ok") known.set(ctx.targetId, { version, at: ts.getTime(), rows: full.rows as IndexStatsRow[] });
      else known.delete(ctx.targetId);
      return full.status === "unavailable" ? full : { ...full, durationMs: full.durationMs + changingMs };
    },
  };
}
