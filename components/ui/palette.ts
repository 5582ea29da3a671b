import type { Severity } from "@/lib/api/common";

// Every colour variant as complete class strings in one typed map (Tailwind only keeps classes
// it can see whole in the source).

export type Tone = "neutral" | "good" | "warn" | "bad" | "info" | "muted";

export const TONE_BADGE: Record<Tone, string> = {
  neutral: "bg-slate-100 text-slate-800 ring-slate-300 dark:bg-slate-800 dark:text-slate-100 dark:ring-slate-600",
  good: "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800",
  warn: "bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-700",
  bad: "bg-red-50 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800",
  info: "bg-sky-50 text-sky-800 ring-sky-300 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-800",
  muted: "bg-transparent text-slate-500 ring-slate-200 dark:text-slate-400 dark:ring-slate-700",
};

/** Text in a tone; "secondary" is prose that explains rather than alarms. */
export const TONE_TEXT: Record<Tone | "secondary", string> = {
  neutral: "text-slate-900 dark:text-slate-100",
  good: "text-emerald-700 dark:text-emerald-300",
  warn: "text-amber-700 dark:text-amber-300",
  bad: "text-red-700 dark:text-red-300",
  info: "text-sky-700 dark:text-sky-300",
  muted: "text-slate-500 dark:text-slate-400",
  secondary: "text-slate-600 dark:text-slate-300",
};

export const LINK = "text-sky-700 hover:underline dark:text-sky-300";

/** A notice inside a panel: failed, stale, or a note about the figures. */
export const TONE_NOTE: Record<"bad" | "warn" | "info", string> = {
  bad: "bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200",
  warn: "bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  info: "bg-sky-50 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
};

/** Cells of a coverage strip: all, some or none of the hours have data (muted: no hours yet). */
export const TONE_CELL: Record<"good" | "warn" | "bad" | "muted", string> = {
  good: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  warn: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  bad: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
  muted: "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-400",
};

/** A count on the always-dark nav bar, coloured by the worst severity it counts. */
// Each pairs its text colour with its fill for 4.5:1 or more (white on amber is 2.1:1).
export const TONE_SOLID: Record<"bad" | "warn" | "info" | "muted", string> = {
  bad: "bg-red-700 text-white",
  warn: "bg-amber-400 text-slate-950",
  info: "bg-sky-700 text-white",
  muted: "bg-slate-600 text-white",
};

/** Backgrounds that mark a row or a block. */
export const MARK = {
  selected: "bg-sky-50 dark:bg-sky-950",
  /** The session picked from a link (?pid=). */
  selectedStrong: "bg-sky-100 dark:bg-sky-900",
  blocked: "bg-red-50/60 dark:bg-red-950/40",
  /** The root of a lock tree: what the DBA acts on. */
  rootBlocker: "border-red-300 bg-red-50 dark:border-red-800 dark:bg-red-950/50",
  /** The plan node where the most time (or cost) went. */
  hottest: "border-red-400 bg-red-50 dark:border-red-700 dark:bg-red-950/60",
} as const;

export const SEVERITY_TONE: Record<Severity, Tone> = { critical: "bad", warning: "warn", info: "info" };

/** pg_stat_activity states and alert states. */
export function stateTone(state: string | null): Tone {
  switch (state) {
    case "active":
    case "resolved":
      return "good";
    case "idle in transaction":
    case "pending":
      return "warn";
    case "idle in transaction (aborted)":
    case "firing":
      return "bad";
    case "idle":
      return "muted";
    case null:
      return "muted";
    default:
      return "neutral";
  }
}

/** Chart series colours: distinguishable in light and dark, and not red/green only. */
export const SERIES_COLORS = ["#2563eb", "#d97706", "#059669", "#9333ea", "#dc2626", "#0891b2", "#65a30d", "#db2777"];
export const REFERENCE_COLOR = "#dc2626";
export const REFERENCE_SOFT_COLOR = "#64748b";
