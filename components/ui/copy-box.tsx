"use client";

import { CopyButton } from "./copy-button";

/** SQL (or any text) for the user to copy and run themselves; pgpulse never runs it. */
export function CopyBox({ text, label, testId }: { text: string; label?: string; testId?: string }) {
  return (
    <div className="flex items-start gap-2" data-testid={testId}>
      <pre
        aria-label={label ?? "SQL to copy"}
        className="min-w-0 flex-1 overflow-x-auto rounded bg-slate-100 px-2 py-1 font-mono text-xs break-all whitespace-pre-wrap select-all dark:bg-slate-800"
      >
        {text}
      </pre>
      <CopyButton text={text} label={label ?? "SQL"} />
    </div>
  );
}
