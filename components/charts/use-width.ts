"use client";

import { useEffect, useState, type RefCallback } from "react";

/** An element's width in px, kept current by a ResizeObserver (0 until it is measured). */
export function useWidth<T extends HTMLElement>(): [RefCallback<T>, number] {
  const [el, setEl] = useState<T | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    if (!el) return;
    const ro = new ResizeObserver((entries) => setWidth(Math.floor(entries[0].contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, [el]);
  return [setEl, width];
}
