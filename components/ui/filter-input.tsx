"use client";

import { useEffect, useRef } from "react";
import { TextInput } from "./select";

/** Long enough to span a typed word, short enough that the list still follows the typing. */
const FILTER_SETTLE_MS = 250;

/**
 * A text filter whose value is sent once typing settles: each change of a server-side filter is
 * a request, and one per keystroke asked the server for every prefix of the word. Enter sends at
 * once.
 */
export function FilterInput({
  value,
  onFilter,
  ...rest
}: { value: string | null; onFilter: (q: string | null) => void } & Omit<React.InputHTMLAttributes<HTMLInputElement>, "value" | "defaultValue" | "onChange">) {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The newest callback, for a timer set during an older render.
  const latest = useRef(onFilter);
  useEffect(() => {
    latest.current = onFilter;
  }, [onFilter]);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  function send(raw: string) {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    latest.current(raw.trim() || null);
  }

  return (
    <TextInput
      {...rest}
      defaultValue={value ?? ""}
      onChange={(e) => {
        const raw = e.target.value;
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(() => send(raw), FILTER_SETTLE_MS);
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter") send(e.currentTarget.value);
      }}
    />
  );
}
