import "server-only";
import type { Pool } from "pg";
import { z } from "zod";
import { alertListQuerySchema, type AlertListResponse } from "@/lib/api/alerts";
import { many } from "@/lib/db/query";
import { listSilences } from "@/lib/alerts/actions";
import { AlertError, type AlertErrorKind } from "@/lib/alerts/errors";
import { getAlert, listAlerts, listNotifications, type AlertFilter } from "@/lib/alerts/read";
import { loadSqlParser, redactSql } from "@/lib/analysis/sql-text";
import { sortAlerts } from "@/lib/api/alerts";
import type { Role } from "@/lib/auth/roles";
import { ALERT_LIST_MAX } from "@/lib/limits";
import { toAlertView, toEventView, type ViewOptions } from "./alerts-view";
import { HttpError, parseInput } from "./route";

// The reads and input parsing behind the alert routes: store → lib/alerts → contract shapes.

/** Alert and silence ids are bigserials; anything else is a 400 naming the parameter. */
export function parseId(raw: string, param = "id"): number {
  if (!/^[1-9][0-9]{0,14}$/.test(raw)) throw new HttpError(400, `invalid ${param}: must be a positive integer`, param);
  return Number(raw);
}

const STATUS_OF: Record<AlertErrorKind, number> = { not_found: 404, conflict: 409, invalid: 400 };

// The delivery worker lives in the runtime, bundled apart from the route handlers, so its
// AlertError is another class object than ours: recognise the error by name and kind.
function isAlertError(e: unknown): e is AlertError {
  return e instanceof AlertError || (e instanceof Error && e.name === "AlertError" && Object.hasOwn(STATUS_OF, (e as AlertError).kind));
}

/** AlertError kinds → HTTP; anything else propagates (and becomes a 500 without details). */
export function mapAlertError(e: unknown): never {
  if (isAlertError(e)) throw new HttpError(STATUS_OF[e.kind], e.message);
  throw e;
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
    if (e instanceof HttpError && e.param?.startsWith("state.")) throw new HttpError(400, e.message.replace(/^invalid state\.\d+/, "invalid state"), "state");
    throw e;
  }
  if (q.from && q.to && Date.parse(q.from) > Date.parse(q.to)) throw new HttpError(400, "invalid from: must not be after to", "from");
  return q;
}

/** Everything toAlertView needs that depends on the caller and the moment. */
export async function viewOptions(pool: Pool, role: Role, targetName: (id: string) => string | undefined, now = new Date()): Promise<ViewOptions> {
  let showSql = (sql: string) => sql;
  if (role === "viewer") {
    await loadSqlParser();
    showSql = redactSql;
  }
  const silences = await listSilences(pool, { active: true, limit: 1000 }, now);
  return { silences, now: now.getTime(), targetName, showSql };
}

export async function alertListView(pool: Pool, q: ReturnType<typeof parseAlertListQuery>, opts: ViewOptions): Promise<AlertListResponse> {
  const filter: AlertFilter = {
    state: q.state,
    target: q.target,
    rule: q.rule,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
    // One more than we answer with tells us whether the list was cut.
    limit: ALERT_LIST_MAX + 1,
  };
  const rows = await listAlerts(pool, filter);
  const truncated = rows.length > ALERT_LIST_MAX;
  return { alerts: sortAlerts(rows.slice(0, ALERT_LIST_MAX).map((a) => toAlertView(a, opts))), truncated };
}

export async function alertDetailView(pool: Pool, id: number, opts: ViewOptions) {
  const found = await getAlert(pool, id);
  if (!found) throw new HttpError(404, `alert ${id} not found`);
  return { alert: toAlertView(found.alert, opts), events: found.events.map(toEventView) };
}

const eventIdRow = z.object({ id: z.coerce.number(), event_id: z.coerce.number().nullable() });

/** Every notification queued for an alert with its attempts; 404 when the alert does not exist. */
export async function notificationsView(pool: Pool, alertId: number) {
  const found = await getAlert(pool, alertId);
  if (!found) throw new HttpError(404, `alert ${alertId} not found`);
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
