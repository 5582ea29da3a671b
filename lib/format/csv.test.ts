import { describe, expect, it } from "vitest";
import { csvFileName, toCsv } from "./csv";

interface Row {
  name: string;
  size: number | null;
  note?: string;
}

describe("toCsv", () => {
  const cols = [
    { header: "name", value: (r: Row) => r.name },
    { header: "size", value: (r: Row) => r.size },
    { header: "note", value: (r: Row) => r.note },
  ];
  it("quotes commas, quotes and newlines; unknown is an empty cell, zero is 0", () => {
    const csv = toCsv<Row>(
      [
        { name: 'a "b", c', size: 0, note: "line1\nline2" },
        { name: "plain", size: null },
      ],
      cols,
    );
    expect(csv).toBe('name,size,note\r\n"a ""b"", c",0,"line1\nline2"\r\nplain,,\r\n');
  });
  it("neutralises spreadsheet formulas in text but not negative numbers", () => {
    const csv = toCsv<Row>([{ name: "=HYPERLINK(1)", size: -5, note: "-x" }], cols);
    expect(csv.split("\r\n")[1]).toBe("'=HYPERLINK(1),-5,'-x");
  });
  it("header only for no rows", () => {
    expect(toCsv<Row>([], cols)).toBe("name,size,note\r\n");
  });
  it("file name is safe and stamped", () => {
    expect(csvFileName("tables main/public", new Date("2025-02-03T04:05:06Z"))).toBe("tables-main-public-2025-02-03-04-05-06.csv");
  });
});
