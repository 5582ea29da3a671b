"use client";

import { useEffect } from "react";
import { useAlertCount } from "@/components/panels/queries";
import { titleWithCount } from "./title-count";

/**
 * Keeps "N firing · " in front of the document title on every page, from the count the nav badge
 * already polls (same query, no extra request). Next writes the page's own title on each
 * navigation, so the <title> element is watched and the prefix put back.
 */
export function DocumentTitleCount() {
  const q = useAlertCount();
  const c = q.data;
  const firing = c ? c.firing.critical + c.firing.warning + c.firing.info : null;
  useEffect(() => {
    const apply = () => {
      const next = titleWithCount(document.title, firing);
      // Only a real change writes, so the observer below does not loop on its own write.
      if (next !== document.title) document.title = next;
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => observer.disconnect();
  }, [firing]);
  return null;
}
