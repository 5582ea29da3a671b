"use client";

import { useState } from "react";
import { cx } from "@/components/ui/cx";
import { TONE_TEXT } from "@/components/ui/palette";
import { FLEET_STATUSES, formatTag, parseTag, type FleetFilter, type FleetStatus, type Tag } from "@/lib/api/fleet";
import { FLEET_FILTER_TAGS_MAX } from "@/lib/api/search-params";
import { FILTER_TEXT_MAX } from "@/lib/limits";

// The fleet list's filters: a name, any number of key=value tags (all must match), statuses
// (any may match). The page keeps them in the URL; this only edits them.

const FIELD = "rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";
const CHIP = "inline-flex items-center gap-1 rounded border px-1.5 py-0.5 text-xs focus-visible:outline-2 focus-visible:outline-sky-600";

export function FleetFilters({
  filter,
  onChange,
  tags,
  counts,
  shown,
  total,
}: {
  filter: FleetFilter;
  onChange: (patch: Partial<FleetFilter>) => void;
  /** Every key=value the fleet carries. */
  tags: readonly string[];
  counts: Record<FleetStatus, number>;
  shown: number;
  total: number;
}) {
  const [q, setQ] = useState(filter.q ?? "");
  const chosen = new Set(filter.tags.map(formatTag));
  const addTag = (t: Tag | null) => {
    if (t && !chosen.has(formatTag(t)) && filter.tags.length < FLEET_FILTER_TAGS_MAX) onChange({ tags: [...filter.tags, t] });
  };
  const toggleStatus = (s: FleetStatus) =>
    onChange({ status: filter.status.includes(s) ? filter.status.filter((x) => x !== s) : FLEET_STATUSES.filter((x) => x === s || filter.status.includes(x)) });
  return (
    <div className="flex w-full min-w-0 flex-wrap items-center gap-2" data-testid="fleet-filters">
      <label className="flex min-w-0 items-center gap-1 text-xs">
        <span className={TONE_TEXT.secondary}>name</span>
        <input
          type="search"
          value={q}
          maxLength={FILTER_TEXT_MAX}
          placeholder="filter by name"
          data-testid="fleet-filter-name"
          className={cx(FIELD, "w-40 min-w-0")}
          onChange={(e) => {
            setQ(e.target.value);
            onChange({ q: e.target.value.trim() || null });
          }}
        />
      </label>
      <label className="flex min-w-0 items-center gap-1 text-xs">
        <span className={TONE_TEXT.secondary}>tag</span>
        <select
          value=""
          data-testid="fleet-filter-tag"
          className={cx(FIELD, "max-w-48 min-w-0")}
          onChange={(e) => addTag(parseTag(e.target.value))}
          disabled={tags.length === 0}
        >
          <option value="">{tags.length === 0 ? "no tags" : "add key=value"}</option>
          {tags.filter((t) => !chosen.has(t)).map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      {filter.tags.map((t) => (
        <button
          key={formatTag(t)}
          type="button"
          data-testid={`fleet-tag-chip-${formatTag(t)}`}
          aria-label={`remove tag filter ${formatTag(t)}`}
          className={cx(CHIP, "border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100")}
          onClick={() => onChange({ tags: filter.tags.filter((x) => formatTag(x) !== formatTag(t)) })}
        >
          {formatTag(t)} <span aria-hidden>×</span>
        </button>
      ))}
      <div role="group" aria-label="status" className="flex flex-wrap gap-1">
        {FLEET_STATUSES.map((s) => {
          const on = filter.status.includes(s);
          return (
            <button
              key={s}
              type="button"
              aria-pressed={on}
              data-testid={`fleet-filter-status-${s}`}
              className={cx(CHIP, on ? "border-slate-700 bg-slate-800 text-white dark:border-slate-200 dark:bg-slate-100 dark:text-slate-900" : "border-slate-300 dark:border-slate-700")}
              onClick={() => toggleStatus(s)}
            >
              {s} <span className="tabular">{counts[s]}</span>
            </button>
          );
        })}
      </div>
      <span className={cx("ml-auto text-xs tabular", TONE_TEXT.secondary)} data-testid="fleet-count" data-shown={shown} data-total={total} aria-live="polite">
        showing {shown} of {total}
      </span>
    </div>
  );
}
