"use client";

import { useSyncExternalStore } from "react";

/** Phones: below Tailwind's `sm` breakpoint, where a grid of columns no longer fits. */
export const NARROW_SCREEN = "(max-width: 639px)";

/** Whether a CSS media query matches, following changes (rotation, resizing). False on the server. */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const m = window.matchMedia(query);
      m.addEventListener("change", onChange);
      return () => m.removeEventListener("change", onChange);
    },
    () => window.matchMedia(query).matches,
    () => false,
  );
}
