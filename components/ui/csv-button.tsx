"use client";

import { csvFileName, toCsv, type CsvColumn } from "@/lib/format/csv";
import { Button } from "./button";

/** Downloads exactly the rows the table shows (after filters and sorting), built in the browser. */
export function CsvButton<T>({ rows, columns, name }: { rows: readonly T[]; columns: readonly CsvColumn<T>[]; name: string }) {
  const download = () => {
    const blob = new Blob([toCsv(rows, columns)], { type: "text/csv;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = csvFileName(name, new Date());
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <Button size="sm" onClick={download} disabled={rows.length === 0} data-testid={`csv-${name}`}>
      CSV
    </Button>
  );
}
