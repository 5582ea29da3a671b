"use client";

import { useState } from "react";
import { Button } from "./button";

/** Copies text the user will run themselves (pgpulse never runs it); says "Copied" for a moment. */
export function CopyButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // Clipboard refused (insecure context): the text is shown and selectable anyway.
    }
  };
  return (
    <Button size="sm" onClick={copy} aria-label={`Copy ${label}`} title={text} data-testid={testId}>
      {copied ? "Copied" : "Copy"}
    </Button>
  );
}
