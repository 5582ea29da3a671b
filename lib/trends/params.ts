import { isValidTimeZone, parseIsoWeek } from "./iso-week";

// URL state of /trends, parsed the same way by the server page and the client island. Anything
// invalid falls back to the default (a shared link always opens); the API itself refuses
// invalid values with a 400 naming the parameter.

export interface TrendsParams {
  /** null: the last complete week (decided by the server at request time). */
  week: string | null;
  /** null: all targets. */
  target: string | null;
  tz: string;
}

type Input = URLSearchParams | Record<string, string | string[] | undefined>;

function first(sp: Input, key: string): string | null {
  if (sp instanceof URLSearchParams) return sp.get(key);
  const v = sp[key];
  return (Array.isArray(v) ? v[0] : v) ?? null;
}

export function parseTrendsParams(sp: Input): TrendsParams {
  const week = first(sp, "week");
  const target = first(sp, "target")?.trim().slice(0, 200) || null;
  const tz = first(sp, "tz");
  return { week: week && parseIsoWeek(week) ? week : null, target, tz: tz && isValidTimeZone(tz) ? tz : "UTC" };
}

export function serializeTrendsParams(p: TrendsParams): URLSearchParams {
  const out = new URLSearchParams();
  if (p.week) out.set("week", p.week);
  if (p.target) out.set("target", p.target);
  if (p.tz !== "UTC") out.set("tz", p.tz);
  return out;
}
