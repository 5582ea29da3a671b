import "server-only";
import type { TrendsQuery, TrendsResponse } from "@/lib/api/trends";
import type { Role } from "@/lib/auth/roles";
import { DomainError } from "@/lib/errors";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { summarizeTarget, targetOr404 } from "@/lib/server/views/targets";
import { buildTrends } from "@/lib/trends/build";
import { createFinishedWeekCache, type FinishedWeekCache } from "@/lib/trends/cache";
import { compareWeeks, formatIsoWeek, lastCompleteWeek, parseIsoWeek, shiftWeek, weekBounds, weekContaining } from "@/lib/trends/iso-week";
import { weekHistorySignature } from "@/lib/trends/queries";
import { redactorFor } from "./sources";

/** Per store, so two runtimes (tests, a restarted store) never share answers. */
const finishedWeeks = new WeakMap<object, FinishedWeekCache<TrendsResponse>>();

function cacheOf(store: object): FinishedWeekCache<TrendsResponse> {
  let c = finishedWeeks.get(store);
  if (!c) finishedWeeks.set(store, (c = createFinishedWeekCache<TrendsResponse>()));
  return c;
}

/**
 * The weekly trend figures: one ISO week (default: the last complete one in `tz`, default UTC)
 * against the week before, for one target or all of them. Reads the store only.
 */
export async function trendsView(rt: Runtime, q: TrendsQuery, role: Role, now = new Date()): Promise<TrendsResponse> {
  const tz = q.tz ?? "UTC";
  // The query schema has checked the pattern already.
  const week = q.week ? parseIsoWeek(q.week)! : lastCompleteWeek(now, tz);
  if (compareWeeks(week, weekContaining(now, tz)) > 0) throw new DomainError(400, "invalid week: it has not begun yet", { param: "week" });
  const targets = q.target ? [targetOr404(rt, q.target)] : rt.targets;
  const redact = await redactorFor(role);
  const wanted = targets.map((t) => ({ id: t.id, name: t.name, database: summarizeTarget(t).database, thresholds: rt.thresholds(t.id) }));
  const build = () => buildTrends(rt.store, wanted, { week, tz, now, redact });
  const bounds = weekBounds(week, tz);
  if (bounds.end > now) return build();
  // Everything the answer depends on: the role decides redaction; the signature changes when
  // rows are written into the two weeks' history after all.
  const history = await weekHistorySignature(rt.store.pool, wanted.map((t) => t.id), weekBounds(shiftWeek(week, -1), tz).start, bounds.end);
  const key = JSON.stringify([formatIsoWeek(week), tz, role, wanted, history]);
  return cacheOf(rt.store).get(key, now.getTime(), build);
}
