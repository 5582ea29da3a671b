"use client";

import { useCallback, useEffect, useState } from "react";

// Page state lives in the URL so a link shares exactly what one sees. The server page parses
// the URL once (same parser) and hands the result in; later changes replace the history entry
// without a reload or a server round trip, and back/forward re-read the URL.

export function useUrlState<T>(
  initial: T,
  parse: (sp: URLSearchParams) => T,
  serialize: (v: T) => URLSearchParams,
): [T, (patch: Partial<T>) => void] {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    const onPop = () => setValue(parse(new URLSearchParams(window.location.search)));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, [parse]);
  const update = useCallback(
    (patch: Partial<T>) => {
      setValue((prev) => {
        const next = { ...prev, ...patch };
        const qs = serialize(next).toString();
        window.history.replaceState(window.history.state, "", qs ? `${window.location.pathname}?${qs}` : window.location.pathname);
        return next;
      });
    },
    [serialize],
  );
  return [value, update];
}
