import type { ReactNode } from "react";
import { cx } from "@/components/ui/cx";
import { TONE_TEXT } from "@/components/ui/palette";

/** `reserveSubtitle`: the subtitle arrives with data, so its line is there from the first paint. */
export function PageHeader({ title, subtitle, actions, reserveSubtitle }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; reserveSubtitle?: boolean }) {
  return (
    <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
      {/* On a phone the actions always take their own line: whether they fit beside the title
          must not depend on a subtitle that arrives with data. */}
      <div className="min-w-0 basis-full sm:basis-auto">
        <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
        {subtitle || reserveSubtitle ? <p className={cx("min-h-5 text-sm", TONE_TEXT.muted)}>{subtitle}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}
