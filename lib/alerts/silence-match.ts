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

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`);
}

export function silenceMatches(m: SilenceMatchers, alert: { rule: string; targetId: string; objectKey: string }): boolean {
  if (m.rule !== undefined && m.rule !== alert.rule) return false;
  if (m.target !== undefined && m.target !== alert.targetId) return false;
  if (m.objectPattern !== undefined && !globToRegExp(m.objectPattern).test(alert.objectKey)) return false;
  return true;
}

export function isSilenceActive(s: SilenceWindow, now: number): boolean {
  return s.expiredAt === null && s.startsAt.getTime() <= now && now < s.endsAt.getTime();
}

/** The id of the first active silence covering the alert, or null. */
export function silencedBy(silences: SilenceWindow[], alert: { rule: string; targetId: string; objectKey: string }, now: number): number | null {
  return silences.find((s) => isSilenceActive(s, now) && silenceMatches(s.matchers, alert))?.id ?? null;
}
