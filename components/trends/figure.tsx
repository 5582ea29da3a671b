import type { ReactNode } from "react";
import { cx } from "@/components/ui/cx";
import type { Change } from "@/lib/api/trends";
import { fmtOr, type Fmt } from "./format";

/** Whether a rise is bad news for this figure (slow statements) or good (cache hits). */
export type Better = "lower" | "higher" | "neutral";

function Delta({ c, f, better }: { c: Change; f: Fmt; better: Better }) {
  if (c.delta === null) return <span className="text-xs text-slate-500 dark:text-slate-400">{c.previous === null ? "no data last week" : "no data this week"}</span>;
  const sign = c.delta > 0 ? "+" : c.delta < 0 ? "−" : "±";
  const good = better === "neutral" || c.delta === 0 ? null : (c.delta < 0) === (better === "lower");
  return (
    <span className={cx("text-xs", good === null ? "text-slate-500 dark:text-slate-400" : good ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400")}>
      {sign}
      {f(Math.abs(c.delta))}
      {c.pct !== null ? ` (${sign}${Math.abs(Math.round(c.pct))} %)` : ""} · last week {f(c.previous!)}
    </span>
  );
}

/** One headline figure of the week against the week before. */
export function TrendsFigure({ id, label, c, f, better, note }: { id: string; label: string; c: Change; f: Fmt; better: Better; note?: ReactNode }) {
  return (
    <div className="rounded border border-slate-200 p-3 dark:border-slate-800" data-testid={`figure-${id}`}>
      <div className="text-xs text-slate-500 dark:text-slate-400">{label}</div>
      <div className="tabular text-lg font-semibold" data-testid={`figure-${id}-value`}>
        {fmtOr(f)(c.current)}
      </div>
      <Delta c={c} f={f} better={better} />
      {note ? <div className="text-xs text-slate-500 dark:text-slate-400">{note}</div> : null}
    </div>
  );
}
