import type { ComponentPropsWithRef, ReactNode } from "react";
import { cx } from "./cx";
import { TONE_TEXT } from "./palette";

export function Card({ className, ...rest }: ComponentPropsWithRef<"section">) {
  return (
    <section
      className={cx("rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900", className)}
      {...rest}
    />
  );
}

/** `reserveSubtitle`: the subtitle arrives with the data, so its line is there from the start. */
export function CardHeader({ title, actions, subtitle, reserveSubtitle }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; reserveSubtitle?: boolean }) {
  return (
    <header className="mb-3 flex flex-wrap items-start justify-between gap-2">
      <div>
        <h2 className="text-sm font-semibold tracking-tight">{title}</h2>
        {subtitle || reserveSubtitle ? <p className={cx("min-h-4 text-xs", TONE_TEXT.muted)}>{subtitle}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
    </header>
  );
}
