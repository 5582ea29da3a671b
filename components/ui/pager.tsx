"use client";

import { Button } from "./button";
import { TONE_TEXT } from "./palette";
import { cx } from "./cx";

/** Previous / next through a list the server pages; `page` is 1-based. */
export function Pager({ page, pageSize, total, onPage, label }: { page: number; pageSize: number; total: number; onPage: (page: number) => void; label: string }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav aria-label={`${label} pages`} className={cx("flex items-center gap-1 text-xs", TONE_TEXT.secondary)}>
      <Button size="sm" onClick={() => onPage(page - 1)} disabled={page <= 1} aria-label="Previous page">
        ‹
      </Button>
      <span className="tabular" data-testid={`${label.toLowerCase()}-page`}>
        page {Math.min(page, pages)} of {pages}
      </span>
      <Button size="sm" onClick={() => onPage(page + 1)} disabled={page >= pages} aria-label="Next page">
        ›
      </Button>
    </nav>
  );
}
