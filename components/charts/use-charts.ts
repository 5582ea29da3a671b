"use client";

import { useEffect, useState, useSyncExternalStore, type RefCallback } from "react";

// Chart code is fetched once a chart's placeholder comes near the viewport, not with the page: a
// first view without a chart never pays for it. Once the chunk has loaded, every chart on the
// page draws (the bytes are spent), whether or not it is in view.

/** How near the viewport a placeholder must come to start the load, so a scroll finds it drawn. */
const NEAR_VIEWPORT = "300px";

/** A chunk loaded once, on demand, with hooks that re-render its users when it is in. */
function lazyChunk<T>(importChunk: () => Promise<T>) {
  let loaded: T | null = null;
  let loading: Promise<void> | null = null;
  const waiting = new Set<() => void>();

  function load(): Promise<void> {
    loading ??= importChunk().then(
      (m) => {
        loaded = m;
        for (const notify of waiting) notify();
      },
      () => {
        // A failed chunk load is retried when a placeholder next comes into view.
        loading = null;
      },
    );
    return loading;
  }

  function subscribe(notify: () => void) {
    waiting.add(notify);
    return () => void waiting.delete(notify);
  }

  /** For a chart's placeholder: a ref that starts the load when it nears the viewport, and the chunk (null before). */
  function useInView<E extends Element>(): [RefCallback<E>, T | null] {
    const chunk = useSyncExternalStore(subscribe, () => loaded, () => null);
    const [el, setEl] = useState<E | null>(null);
    useEffect(() => {
      if (chunk || !el) return;
      const io = new IntersectionObserver(
        (entries) => {
          if (!entries.some((e) => e.isIntersecting)) return;
          io.disconnect();
          void load();
        },
        { rootMargin: NEAR_VIEWPORT },
      );
      io.observe(el);
      return () => io.disconnect();
    }, [chunk, el]);
    return [setEl, chunk];
  }

  return { load, useInView };
}

const charts = lazyChunk(() => import("./bundle"));

/** The charts (lines, areas, bars, sparklines, the alert window) for a placeholder. */
export const useChartsInView = charts.useInView;

/** Starts the chunk's load (once); resolves when it is in, or failed. */
export const loadCharts: () => Promise<void> = charts.load;

// A printout shows every chart, in view or not: printing starts the load (the print button on
// the trends page waits for it; a browser's own print dialog gets the charts from its second try).
if (typeof window !== "undefined") window.addEventListener("beforeprint", () => void loadCharts(), { once: true });
