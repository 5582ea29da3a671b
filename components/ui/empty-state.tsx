import type { ReactNode } from "react";
import { cx } from "./cx";
import { TONE_TEXT } from "./palette";

/** Nothing to show, and what to do about it. */
export function EmptyState({ title, action, testId }: { title: ReactNode; action?: ReactNode; testId?: string }) {
  return (
    <div data-testid={testId} className={cx("rounded border border-dashed border-slate-300 p-4 text-sm dark:border-slate-700", TONE_TEXT.secondary)}>
      <p className="font-medium">{title}</p>
      {action ? <p className={cx("mt-1", TONE_TEXT.muted)}>{action}</p> : null}
    </div>
  );
}

/** Maps the server's "unavailable" reasons to the step that fixes them. */
export function fixFor(reason: string): ReactNode {
  if (/pg_stat_statements/i.test(reason))
    return (
      <>
        Add <code>pg_stat_statements</code> to <code>shared_preload_libraries</code>, then run <code>npm run setup</code>.
      </>
    );
  if (/privilege|permission|pg_monitor|pg_read_all_stats/i.test(reason))
    return (
      <>
        Grant the monitoring role <code>pg_monitor</code>: <code>npm run setup</code> prints the statements.
      </>
    );
  if (/pgstattuple/i.test(reason))
    return (
      <>
        Install <code>pgstattuple</code> for exact bloat figures: <code>npm run setup</code>.
      </>
    );
  if (/slow_query_log|performance_metrics/i.test(reason))
    return <>The guideline objects are missing on this database; the figures come from the statistics views instead.</>;
  return null;
}
