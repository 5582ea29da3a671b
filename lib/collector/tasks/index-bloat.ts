import "server-only";
import { z } from "zod";
import { exactBtreeBloat, MIN_RELIABLE_INDEX_BYTES } from "@/lib/analysis/bloat";
import type { Capabilities, TaskContext, TaskRun } from "@/lib/collector/types";
import { toDbError } from "@/lib/db/errors";
import { qualified } from "@/lib/db/ident";
import { many, one } from "@/lib/db/query";
import { withStatementTimeout } from "@/lib/db/statement-timeout";
import { INDEX_BLOAT_INPUTS_SQL, indexBloat, indexBloatFor, indexBloatInputsRow, type IndexBloatRow } from "@/lib/metrics/definitions/index-bloat";
import type { MetricResult } from "@/lib/metrics/types";
import { runMetric } from "@/lib/metrics/run";

// index_bloat with exact confirmation: the estimate covers every index; pgstatindex() (from
// pgstattuple) then measures the ones that matter — over the alert threshold, or where the
// estimate is known to mislead (deduplicated, NULL-heavy, expression keys). pgstatindex reads
// every block of the index, so it is bounded: indexes above a size cap are never read, a run
// reads at most a byte budget, and each call has its own statement timeout. An exact figure is
// reused until the index's page count changes or its table is vacuumed again (or for an hour):
// a purge followed by VACUUM leaves the pages in place and empties them, which is how most
// bloat comes about.
// The estimate itself (a statistics read over every indexed column) is kept while a version of
// its inputs stands (INDEX_BLOAT_INPUTS_SQL), for at most an hour; the confirmation step runs
// on it as on a fresh one.

export interface IndexBloatTaskOptions {
  /** Indexes larger than this are never read by pgstatindex (default 1 GiB). */
  maxIndexBytes?: number;
  /** Bytes pgstatindex may read per run, over all indexes (default 1 GiB). */
  budgetBytes?: number;
  /** Indexes smaller than this are not worth confirming (default 1 MiB). */
  minIndexBytes?: number;
  /** Statement timeout of each pgstatindex call (default 30 s). */
  callTimeoutMs?: number;
  /** How long an exact figure is reused while relpages is unchanged (default 1 h). */
  reuseMs?: number;
  /** How long an estimate is kept while its inputs are unchanged (default 1 h). */
  estimateReuseMs?: number;
}

interface ExactEntry {
  at: number;
  indexBytes: number;
  tableVacuums: number;
  bloatPercent: number;
  wastedBytes: number;
}

const pgstatindexRow = z.object({
  leaf_pages: z.number(),
  empty_pages: z.number(),
  deleted_pages: z.number(),
  avg_leaf_density: z.number().nullable(),
});

// VACUUMs of each index's table so far (manual + auto), for the indexes about to be confirmed.
const vacuumCountsRow = z.object({ indexrelid: z.coerce.number().int(), vacuums: z.coerce.number().int() });
const VACUUM_COUNTS_SQL = `/* pgpulse */ SELECT x.indexrelid::bigint AS indexrelid,
  (pg_stat_get_vacuum_count(x.indrelid) + pg_stat_get_autovacuum_count(x.indrelid))::bigint AS vacuums
  FROM pg_index x WHERE x.indexrelid = ANY($1::oid[])`;

export function canConfirm(caps: Capabilities): boolean {
  if (!caps.extensions.pgstattuple) return false;
  // pgstattuple 1.5 grants its functions to pg_stat_scan_tables (part of pg_monitor).
  return caps.isSuperuser || caps.roles.includes("pg_stat_scan_tables") || caps.roles.includes("pg_monitor");
}

/** Which estimates to confirm, most important first: over the threshold, then unreliable, larger first. */
export function confirmationOrder(rows: IndexBloatRow[], thresholdPercent: number, o: Required<Pick<IndexBloatTaskOptions, "maxIndexBytes" | "minIndexBytes">>): IndexBloatRow[] {
  const over = (r: IndexBloatRow) => r.bloat_percent !== null && r.bloat_percent >= thresholdPercent;
  return rows
    .filter((r) => r.bloat_percent !== null && (over(r) || !r.reliable))
    .filter((r) => r.index_bytes >= o.minIndexBytes && r.index_bytes <= o.maxIndexBytes)
    .sort((a, b) => Number(over(b)) - Number(over(a)) || b.index_bytes - a.index_bytes);
}

function stillValid(cached: ExactEntry, r: IndexBloatRow, tableVacuums: number | undefined, nowMs: number, reuseMs: number): boolean {
  return nowMs - cached.at < reuseMs && cached.indexBytes === r.index_bytes && cached.tableVacuums === tableVacuums;
}

export function createIndexBloatTask(opts: IndexBloatTaskOptions = {}): TaskRun {
  const o = {
    maxIndexBytes: opts.maxIndexBytes ?? 1024 ** 3,
    budgetBytes: opts.budgetBytes ?? 1024 ** 3,
    minIndexBytes: opts.minIndexBytes ?? MIN_RELIABLE_INDEX_BYTES,
    callTimeoutMs: opts.callTimeoutMs ?? 30_000,
    reuseMs: opts.reuseMs ?? 3_600_000,
    estimateReuseMs: opts.estimateReuseMs ?? 3_600_000,
  };
  // Per target: the last estimate's rows (before confirmation) and the inputs' version they came from.
  const estimates = new Map<string, { version: string; at: number; result: MetricResult & { status: "ok" } }>();

  async function estimate(ctx: TaskContext): Promise<MetricResult> {
    const ts = ctx.now();
    const started = performance.now();
    let version: string;
    try {
      version = (await withStatementTimeout(ctx.pool, indexBloat.timeoutMs, (client) =>
        one(client, indexBloatInputsRow, INDEX_BLOAT_INPUTS_SQL, [], "index_bloat inputs"))).version;
    } catch (e) {
      const err = toDbError(e);
      return { status: "error", metric: indexBloat.id, targetId: ctx.targetId, ts, durationMs: performance.now() - started, error: err.message, code: err.code };
    }
    const def = indexBloatFor(ctx.caps);
    const kept = estimates.get(ctx.targetId);
    // Kept only for the same role and definition: pg_stats shows each role what it may read.
    const key = `${ctx.caps.user}:${def === indexBloat ? "pg_stats" : "column_stats"}:${version}`;
    if (kept && kept.version === key && ts.getTime() - kept.at < o.estimateReuseMs) return { ...kept.result, ts, durationMs: performance.now() - started };
    const result = await runMetric(ctx.pool, def, ctx.caps, ctx.targetId, ctx.now);
    if (result.status === "ok") estimates.set(ctx.targetId, { version: key, at: ts.getTime(), result });
    else estimates.delete(ctx.targetId);
    return result;
  }
  // Per target, per index oid.
  const exact = new Map<string, Map<number, ExactEntry>>();

  async function confirm(ctx: TaskContext, rows: IndexBloatRow[]): Promise<IndexBloatRow[]> {
    const known = exact.get(ctx.targetId) ?? new Map<number, ExactEntry>();
    exact.set(ctx.targetId, known);
    const nowMs = ctx.now().getTime();
    const pgstatindex = qualified(ctx.caps.extensions.pgstattuple.schema, "pgstatindex");
    const todo = confirmationOrder(rows, ctx.thresholds.indexBloatPercent, o);
    const fresh = new Map<number, ExactEntry>();
    let budget = o.budgetBytes;
    // Nothing to confirm: no connection, no statement.
    if (todo.length) await withStatementTimeout(ctx.pool, o.callTimeoutMs, async (client) => {
      const counted = await many(client, vacuumCountsRow, VACUUM_COUNTS_SQL, [todo.map((r) => r.indexrelid)], "index_bloat vacuum counts");
      const vacuums = new Map(counted.map((x) => [x.indexrelid, x.vacuums]));
      for (const r of todo) {
        const cached = known.get(r.indexrelid);
        if (cached && stillValid(cached, r, vacuums.get(r.indexrelid), nowMs, o.reuseMs)) {
          fresh.set(r.indexrelid, cached);
          continue;
        }
        if (r.index_bytes > budget) continue;
        budget -= r.index_bytes;
        try {
          const x = await one(client, pgstatindexRow, `/* pgpulse */ SELECT leaf_pages, empty_pages, deleted_pages, avg_leaf_density::float8 AS avg_leaf_density FROM ${pgstatindex}($1::oid::regclass)`, [r.indexrelid], "index_bloat pgstatindex");
          const e = exactBtreeBloat(
            { leafPages: x.leaf_pages, emptyPages: x.empty_pages, deletedPages: x.deleted_pages, avgLeafDensity: x.avg_leaf_density },
            r.fillfactor,
            r.block_size,
          );
          fresh.set(r.indexrelid, { at: nowMs, indexBytes: r.index_bytes, tableVacuums: vacuums.get(r.indexrelid) ?? -1, bloatPercent: Math.round(e.bloatPercent * 10) / 10, wastedBytes: e.wastedBytes });
        } catch (err) {
          // A lock held on the index, a timeout, an index dropped meanwhile: keep the estimate.
          const kind = toDbError(err).kind;
          if (kind === "connection" || kind === "terminated") throw err;
        }
      }
    });
    exact.set(ctx.targetId, fresh);
    return rows.map((r) => {
      const e = fresh.get(r.indexrelid);
      if (!e) return r;
      return { ...r, bloat_percent: e.bloatPercent, estimated_bytes_wasted: e.wastedBytes, reliable: true, bloat_source: "exact" as const };
    });
  }

  return {
    async run(ctx: TaskContext): Promise<MetricResult> {
      const result = await estimate(ctx);
      if (result.status !== "ok" || !canConfirm(ctx.caps)) return result;
      const started = performance.now();
      try {
        const rows = await confirm(ctx, result.rows as IndexBloatRow[]);
        return { ...result, rows, durationMs: result.durationMs + (performance.now() - started) };
      } catch (e) {
        const err = toDbError(e);
        return { status: "error", metric: indexBloat.id, targetId: ctx.targetId, ts: result.ts, durationMs: result.durationMs + (performance.now() - started), error: err.message, code: err.code };
      }
    },
  };
}
