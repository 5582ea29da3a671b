import type { HTMLAttributes } from "react";
import type { Severity } from "@/lib/api/common";
import { cx } from "./cx";
import { SEVERITY_TONE, TONE_BADGE, stateTone, type Tone } from "./palette";

export function Badge({ tone = "neutral", className, ...rest }: HTMLAttributes<HTMLSpanElement> & { tone?: Tone }) {
  return (
    <span
      className={cx("inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset", TONE_BADGE[tone], className)}
      {...rest}
    />
  );
}

export function BadgeSeverity({ severity, ...rest }: { severity: Severity } & HTMLAttributes<HTMLSpanElement>) {
  return (
    <Badge tone={SEVERITY_TONE[severity]} {...rest}>
      {severity}
    </Badge>
  );
}

/** A session or alert state; a null session state means the row is hidden by privileges. */
export function BadgeState({ state, ...rest }: { state: string | null } & HTMLAttributes<HTMLSpanElement>) {
  return (
    <Badge tone={stateTone(state)} {...rest}>
      {state ?? "hidden"}
    </Badge>
  );
}
