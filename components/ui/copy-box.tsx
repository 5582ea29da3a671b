"use client";

import { useState } from "react";
import { Button } from "./button";

/** SQL (or any text) for the user to copy and run themselves; pgpulse never runs it. */
export function CopyBox({ text, label, testId }: { text: string; label?: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // Clipboard refused (insecure context): the text is selectable anyway.
    }
  };
  return (
    <div className="flex items-start gap-2" data-testid={testId}>
      <pre
        aria-label={label ?? "SQL to copy"}
        className="min-w-0 flex-1 overflow-x-auto rounded bg-slate-100 px-2 py-1 font-mono text-xs break-all whitespace-pre-wrap select-all dark:bg-slate-800"
      >
        {text}
      </pre>
      <Button size="sm" onClick={copy} aria-label={`Copy ${label ?? "SQL"}`}>
        {copied ? "Copied" : "Copy"}
      </Button>
    </div>
  );
}
