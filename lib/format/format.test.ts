import { describe, expect, it } from "vitest";
import { formatBytes, formatBytesExact, formatBytesPerDay } from "./bytes";
import { formatDuration, formatDurationExact, formatSeconds } from "./duration";
import { formatCompact, formatExact, formatPercent, formatRate, formatRatio } from "./number";
import { formatAgo } from "./time";

describe("formatBytes", () => {
  it.each([
    [null, "—"],
    [0, "0 bytes"],
    [1023, "1023 bytes"],
    [1024, "1 kB"],
    [1536, "1.5 kB"],
    [10 * 1024 ** 3, "10 GB"],
    [123.4 * 1024 ** 2, "123 MB"],
    [12.34 * 1024 ** 2, "12.3 MB"],
  ])("%s → %s", (n, s) => expect(formatBytes(n)).toBe(s));
  it("exact and per day", () => {
    expect(formatBytesExact(10737418240)).toBe("10,737,418,240 bytes");
    expect(formatBytesPerDay(2 * 1024 ** 2)).toBe("+2 MB/day");
    expect(formatBytesPerDay(-1024)).toBe("−1 kB/day");
    expect(formatBytesPerDay(null)).toBe("—");
  });
});

describe("formatDuration", () => {
  it.each([
    [null, "—"],
    [0, "0 ms"],
    [0.25, "0.25 ms"],
    [1.25, "1.3 ms"],
    [850, "850 ms"],
    [1500, "1.5 s"],
    [45_000, "45 s"],
    [184_000, "3 min 4 s"],
    [7_200_000, "2 h"],
    [7_500_000, "2 h 5 min"],
    [90_061_000, "1 d 1 h"],
  ])("%s → %s", (ms, s) => expect(formatDuration(ms)).toBe(s));
  it("exact and seconds", () => {
    expect(formatDurationExact(1234.5678)).toBe("1,234.568 ms");
    expect(formatSeconds(2)).toBe("2 s");
    expect(formatSeconds(null)).toBe("—");
  });
});

describe("numbers", () => {
  it.each([
    [null, "—"],
    [0, "0"],
    [5, "5"],
    [2.345, "2.35"],
    [950, "950"],
    [1234, "1.23k"],
    [45_600_000, "45.6M"],
  ])("compact %s → %s", (n, s) => expect(formatCompact(n)).toBe(s));
  it("zero is shown as zero, unknown as a dash", () => {
    expect(formatRate(0)).toBe("0/s");
    expect(formatRate(null)).toBe("—");
    expect(formatPercent(0)).toBe("0 %");
    expect(formatPercent(93.456)).toBe("93.5 %");
    expect(formatRatio(0.5)).toBe("50 %");
    expect(formatExact(1234567.5, "rows")).toBe("1,234,567.5 rows");
  });
});

describe("formatAgo", () => {
  const now = Date.parse("2025-01-01T12:00:00Z");
  it("relative to the given now", () => {
    expect(formatAgo("2025-01-01T11:59:48Z", now)).toBe("12 s ago");
    expect(formatAgo("2025-01-01T11:55:00Z", now)).toBe("5 min ago");
    expect(formatAgo("2025-01-01T12:00:00.500Z", now)).toBe("in 500 ms");
    expect(formatAgo(null, now)).toBe("—");
    expect(formatAgo("not a date", now)).toBe("—");
  });
});
