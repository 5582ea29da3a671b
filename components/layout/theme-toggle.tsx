"use client";

import { useSyncExternalStore } from "react";

// The choice is stored under "pgpulse-theme"; the inline script in the root layout applies it
// before first paint, this button only flips it. The <html> class is the one source of truth:
// the button reads it (null on the server, which cannot know it) and re-renders when it changes.
const KEY = "pgpulse-theme";

function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
  return () => observer.disconnect();
}
const isDark = () => document.documentElement.classList.contains("dark");
const unknownOnServer = () => null;

export function ThemeToggle() {
  const dark = useSyncExternalStore<boolean | null>(subscribe, isDark, unknownOnServer);
  const flip = () => {
    const next = !document.documentElement.classList.contains("dark");
    document.documentElement.classList.toggle("dark", next);
    try {
      localStorage.setItem(KEY, next ? "dark" : "light");
    } catch {
      // Storage disabled: the choice lasts for this page only.
    }
  };
  return (
    <button
      type="button"
      onClick={flip}
      data-testid="theme-toggle"
      aria-pressed={dark ?? undefined}
      aria-label={dark ? "Switch to light mode" : "Switch to dark mode"}
      className="rounded px-2 py-1 text-sm text-slate-300 hover:bg-slate-800 hover:text-white focus-visible:outline-2 focus-visible:outline-sky-400"
    >
      {dark === null ? "Theme" : dark ? "☀ Light" : "☾ Dark"}
    </button>
  );
}
