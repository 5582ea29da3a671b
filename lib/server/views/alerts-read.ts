import "server-only";
import type { Pool } from "pg";
import { z } from "zod";
import { alertListQuerySchema, type AlertListResponse, type AlertStatsResponse } from "@/lib/api/alerts";
import { many } from "@/lib/db/query";
import { listSilences } from "@/lib/alerts/actions";
import { resolveRule } from "@/lib/alerts/rules";
import { isRuleId } from "@/lib/alerts/types";
import { thresholdsSchema, type PgpulseConfig } from "@/lib/config/schema";
import type { TargetSnapshot } from "@/lib/collector/types";
import type { SlowQueryRow } from "@/lib/metrics/definitions/slow-queries";
import { getAlert, listAlerts, listNotifications, mttaMttr, type AlertFilter } from "@/lib/alerts/read";
import { loadSqlParser, redactSql } from "@/lib/analysis/sql-text";
import type { Role } from "@/lib/auth/roles";
import { DomainError } from "@/lib/errors";
import { ALERT_LIST_MAX, MAX_RANGE_MS, RANGE_MS } from "@/lib/limits";
import { parseInput } from "@/lib/server/http/parse";
import { buildAlertContext, type RunningStatement } from "./alerts-context";
import { toAlertView, toEventView, toSilenceView, type ViewOptions } from "./alerts-view";
import { sortAlerts } from "@/lib/api/alert-view";

// The reads and input parsing behind the alert routes: store → lib/alerts → contract shapes.

/** What the alert reads need of the runtime: the store, and target names for the summaries. */
export interface AlertSource {
  /** `pool` for writes (acknowledge, audit); `read` for a viewer's reads, through the store's read gate. */
  store: { pool: Pool; read<T>(fn: (pool: Pool) => Promise<T>): Promise<T> };
  target(id: string): { name: string } | undefined;
}

/** Alert and silence ids are bigserials; anything else is a 400 naming the parameter. */
export function parseId(raw: string, param = "id"): number {
  if (!/^[1-9][0-9]{0,14}$/.test(raw)) throw new DomainError(400, `invalid ${param}: must be a positive integer`, { param });
  return Number(raw);
}

/** `state` may repeat (and may be comma-separated); the other parameters are single. */
export function parseAlertListQuery(url: URL) {
  const p = url.searchParams;
  const states = p.getAll("state").flatMap((s) => s.split(",")).filter((s) => s !== "");
  const raw: Record<string, unknown> = {};
  for (const key of ["target", "rule", "from", "to"]) {
    const v = p.get(key);
    if (v !== null && v !== "") raw[key] = v;
  }
  if (states.length) raw.state = states;
  let q;
  try {
    q = parseInput(raw, alertListQuerySchema);
  } catch (e) {
    // "state.1" is an index into our own array; the caller wrote "state".
    if (e instanceof DomainError && e.param?.startsWith("state.")) throw new DomainError(400, e.message.replace(/^invalid state\.\d+/, "invalid state"), { param: "state" });
    throw e;
  }
  if (q.from && q.to && Date.parse(q.from) > Date.parse(q.to)) throw new DomainError(400, "invalid from: must not be after to", { param: "from" });
  return q;
}

/** Everything toAlertView needs that depends on the caller and the moment. */
export async function viewOptions(src: AlertSource, role: Role, now = new Date()): Promise<ViewOptions> {
  let showSql = (sql: string) => sql;
  if (role === "viewer") {
    await loadSqlParser();
    showSql = redactSql;
  }
  const silences = await src.store.read((p) => listSilences(p, { active: true, limit: 1000 }, now));
  return { silences, now: now.getTime(), targetName: (id) => src.target(id)?.name, showSql };
}

export async function alertListView(src: AlertSource, role: Role, q: ReturnType<typeof parseAlertListQuery>): Promise<AlertListResponse> {
  const opts = await viewOptions(src, role);
  const filter: AlertFilter = {
    state: q.state,
    target: q.target,
    rule: q.rule,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
    // One more than we answer with tells us whether the list was cut.
    limit: ALERT_LIST_MAX + 1,
  };
  const rows = await src.store.read((p) => listAlerts(p, filter));
  const truncated = rows.length > ALERT_LIST_MAX;
  return { alerts: sortAlerts(rows.slice(0, ALERT_LIST_MAX).map((a) => toAlertView(a, opts))), truncated };
}

/** The detail also reads the rules as configured and the latest snapshot (running statements). */
export interface AlertDetailSource extends AlertSource {
  config?: Pick<PgpulseConfig, "thresholds" | "rules" | "targets">;
  snapshot?(targetId: string): TargetSnapshot | undefined;
}

const NO_OVERRIDES: Pick<PgpulseConfig, "thresholds" | "rules" | "targets"> = { thresholds: thresholdsSchema.parse({}), rules: {}, targets: [] };

/** Statements running now by the latest snapshot, aged to `now` (the sample is seconds old). */
function runningStatements(snapshot: TargetSnapshot | undefined, now: number): RunningStatement[] {
  const result = snapshot?.metrics.slow_queries;
  if (result?.status !== "ok") return [];
  return (result.rows as SlowQueryRow[])
    .filter((r) => r.source === "running" && r.duration_ms !== null)
    .map((r) => ({ fingerprint: r.fingerprint, pid: r.pid, durationMs: r.duration_ms! + Math.max(0, now - r.captured_at.getTime()) }));
}

export async function alertDetailView(src: AlertDetailSource, role: Role, id: number, now = new Date()) {
  const found = await src.store.read((p) => getAlert(p, id));
  if (!found) throw new DomainError(404, `alert ${id} not found`);
  const a = found.alert;
  // A rule id the engine no longer knows keeps the line it was stored with.
  const rule = isRuleId(a.rule)
    ? resolveRule(a.rule, src.config ?? NO_OVERRIDES, a.targetId)
    : { comparator: "gt" as const, threshold: a.threshold ?? 0, clearThreshold: null, keepFiringForSeconds: 0 };
  const context = buildAlertContext({
    alert: a,
    events: found.events,
    rule,
    targetName: src.target(a.targetId)?.name ?? a.targetId,
    running: runningStatements(src.snapshot?.(a.targetId), now.getTime()),
  });
  return { alert: toAlertView(a, await viewOptions(src, role, now)), events: found.events.map(toEventView), context };
}

const eventIdRow = z.object({ id: z.coerce.number(), event_id: z.coerce.number().nullable() });

/** Every notification queued for an alert with its attempts; 404 when the alert does not exist. */
export async function notificationsView(pool: Pool, alertId: number) {
  const found = await getAlert(pool, alertId);
  if (!found) throw new DomainError(404, `alert ${alertId} not found`);
  const records = await listNotifications(pool, alertId);
  // lib/alerts/read leaves out the event each row was queued for; the contract shows it.
  const events = await many(pool, eventIdRow, `SELECT id, event_id FROM pgpulse.notification_outbox WHERE alert_id = $1`, [alertId], "notifications: event ids");
  const eventOf = new Map(events.map((e) => [e.id, e.event_id]));
  return {
    notifications: records.map((n) => {
      const eventId = eventOf.get(n.id) ?? null;
      return {
        id: String(n.id),
        channelId: n.channelId,
        eventId: eventId === null ? null : String(eventId),
        status: n.status,
        attempts: n.attempts,
        lastError: n.lastError,
        createdAt: n.createdAt.toISOString(),
        deliveredAt: n.deliveredAt?.toISOString() ?? null,
        // Only a pending row will be tried again; for the others the column is history.
        nextAttemptAt: n.status === "pending" ? n.nextAttemptAt.toISOString() : null,
        attemptLog: n.attemptLog.map((a) => ({ at: a.at.toISOString(), statusCode: a.statusCode, error: a.error, durationMs: a.durationMs })),
      };
    }),
  };
}

export async function silenceListView(pool: Pool, filter: { active: boolean }) {
  const silences = await listSilences(pool, filter);
  return { silences: silences.map(toSilenceView) };
}

/**
 * MTTA / MTTR per rule for episodes that fired in [from, to). Without a range: the 7 days
 * before `to` (default now).
 */
export async function alertStatsView(pool: Pool, q: { from?: string; to?: string }, now = new Date()): Promise<AlertStatsResponse> {
  const to = q.to ? new Date(q.to) : now;
  let from = q.from ? new Date(q.from) : new Date(to.getTime() - RANGE_MS["7d"]);
  if (from >= to) throw new DomainError(400, "invalid from: must be before to", { param: "from" });
  // The server clamps what a hand-edited URL asks for to the longest range the UI offers.
  if (to.getTime() - from.getTime() > MAX_RANGE_MS) from = new Date(to.getTime() - MAX_RANGE_MS);
  const rules = await mttaMttr(pool, { from, to });
  return { from: from.toISOString(), to: to.toISOString(), rules };
}
