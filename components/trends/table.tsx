import type { ReactNode } from "react";
import { Card, CardHeader } from "@/components/ui/card";
import { CsvButton } from "@/components/ui/csv-button";
import { cx } from "@/components/ui/cx";
import type { CsvColumn } from "@/lib/format/csv";
import { UNKNOWN } from "@/lib/format/number";

export type TrendsColumn<T> = CsvColumn<T> & { cell?: (r: T) => ReactNode; right?: boolean };

/** A plain table, not virtualized: a week's lists are short and must print whole. */
export function TrendsTable<T>({ id, title, subtitle, rows, columns, empty }: { id: string; title: string; subtitle?: string; rows: T[]; columns: TrendsColumn<T>[]; empty: string }) {
  return (
    <Card data-testid={`table-${id}`} data-state={rows.length ? "ready" : "empty"}>
      <CardHeader title={title} subtitle={subtitle} actions={<span className="no-print"><CsvButton rows={rows} columns={columns} name={`trends-${id}`} /></span>} />
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">{empty}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b border-slate-200 text-xs text-slate-500 dark:text-slate-400 dark:border-slate-800">
                {columns.map((c) => (
                  <th key={c.header} className={cx("px-2 py-1 font-medium", c.right && "text-right")}>
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                  {columns.map((c) => (
                    <td key={c.header} className={cx("px-2 py-1 align-top", c.right && "tabular text-right")}>
                      {c.cell ? c.cell(r) : String(c.value(r) ?? UNKNOWN)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
