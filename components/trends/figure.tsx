import type { ReactNode } from "react";
import { cx } from "@/components/ui/cx";
import type { Change } from "@/lib/api/trends";
import { changeText, fmtOr, type Measure } from "./format";

/** Whether a rise is bad news for this figure (slow statements) or good (cache hits). */
export type Better = "lower" | "higher" | "neutral";

function Delta({ c, m, better }: { c: Change; m: Measure; better: Better }) {
  const t = changeText(c, m);
  if (t.direction === null) return <span className="text-xs text-slate-500 dark:text-slate-400">{t.text}</span>;
  const good = better === "neutral" || t.direction === 0 ? null : (t.direction < 0) === (better === "lower");
  return (
    <span data-testid="figure-change" className={cx("text-xs", good === null ? "text-slate-500 dark:text-slate-400" : good ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400")}>
      {t.text} · last week {m.f(c.previous!)}
    </span>
  );
}

/** One headline figure of the week against the week before. */
export function TrendsFigure({ id, label, c, m, better, note }: { id: string; label: string; c: Change; m: Measure; better: Better; note?: ReactNode }) {
  return (
    <div className="rounded border border-slate-200 p-3 dark:border-slate-800" data-testid={`figure-${id}`}>
      <div className="text-xs text-slate-500 dark:text-slate-400">{label}</div>
      <div className="tabular text-lg font-semibold" data-testid={`figure-${id}-value`}>
        {fmtOr(m.f)(c.current)}
      </div>
      <Delta c={c} m={m} better={better} />
      {note ? <div className="text-xs text-slate-500 dark:text-slate-400">{note}</div> : null}
    </div>
  );
}
