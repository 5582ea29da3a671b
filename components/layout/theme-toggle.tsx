"use client";

import { useEffect, useState } from "react";

// The choice is stored under "pgpulse-theme"; the inline script in the root layout applies it
// before first paint, this button only flips it.
const KEY = "pgpulse-theme";

export function ThemeToggle() {
  const [dark, setDark] = useState<boolean | null>(null);
  useEffect(() => setDark(document.documentElement.classList.contains("dark")), []);
  const flip = () => {
    const next = !document.documentElement.classList.contains("dark");
    document.documentElement.classList.toggle("dark", next);
    try {
      localStorage.setItem(KEY, next ? "dark" : "light");
    } catch {
      // Storage disabled: the choice lasts for this page only.
    }
    setDark(next);
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
