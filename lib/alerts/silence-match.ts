// Which silences cover an alert. Pure; the SQL side only loads the open silences.

export interface SilenceMatchers {
  rule?: string;
  target?: string;
  /** Glob over the object key: `*` matches any run of characters, anchored at both ends. */
  objectPattern?: string;
}

export interface SilenceWindow {
  id: number;
  matchers: SilenceMatchers;
  startsAt: Date;
  endsAt: Date;
  expiredAt: Date | null;
}

// Longest object key a pattern is compared with. Real keys are "schema.table", "db:name",
// "pid:123" or a query id, far below this; a longer key matches no pattern, so its alert is
// delivered rather than silently muted.
export const MAX_GLOB_KEY_LENGTH = 1024;

/**
 * Anchored glob match without a regex. A regex `^a.*b.*X$` backtracks exponentially in the
 * number of stars, and a responder sets the pattern, so the old compile-to-regex froze the
 * process on "*****************X". Here runs of `*` collapse (empty parts vanish), the first and
 * last literal parts are pinned to the ends, and each middle part is found greedily with
 * indexOf from where the previous one ended. Taking the leftmost occurrence is always safe: it
 * leaves the most room for the parts after it, so no backtracking is needed. Positions only move
 * forward, so the work is at most O(key length × pattern length) — ≤ 1024 × 500 here — and
 * typically linear.
 */
export function globMatches(pattern: string, key: string): boolean {
  if (key.length > MAX_GLOB_KEY_LENGTH) return false;
  const parts = pattern.split("*");
  if (parts.length === 1) return pattern === key;
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (first.length + last.length > key.length || !key.startsWith(first) || !key.endsWith(last)) return false;
  let pos = first.length;
  const end = key.length - last.length;
  for (const part of parts.slice(1, -1)) {
    if (part === "") continue;
    const at = key.indexOf(part, pos);
    if (at === -1 || at + part.length > end) return false;
    pos = at + part.length;
  }
  return true;
}

export function silenceMatches(m: SilenceMatchers, alert: { rule: string; targetId: string; objectKey: string }): boolean {
  if (m.rule !== undefined && m.rule !== alert.rule) return false;
  if (m.target !== undefined && m.target !== alert.targetId) return false;
  if (m.objectPattern !== undefined && !globMatches(m.objectPattern, alert.objectKey)) return false;
  return true;
}

export function isSilenceActive(s: SilenceWindow, now: number): boolean {
  return s.expiredAt === null && s.startsAt.getTime() <= now && now < s.endsAt.getTime();
}

/** The id of the first active silence covering the alert, or null. */
export function silencedBy(silences: SilenceWindow[], alert: { rule: string; targetId: string; objectKey: string }, now: number): number | null {
  return silences.find((s) => isSilenceActive(s, now) && silenceMatches(s.matchers, alert))?.id ?? null;
}
