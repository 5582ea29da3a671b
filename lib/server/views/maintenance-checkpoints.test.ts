import { describe, expect, it } from "vitest";
import { checkpointsSchema } from "@/lib/api/maintenance";
import type { RangePoint } from "@/lib/store/types";
import { BUFFERS_BACKEND_NOTE, counterWindow, toCheckpoints, type CheckpointField } from "./maintenance-checkpoints";

const T0 = Date.parse("2026-03-01T10:00:00Z");
const MIN = 60_000;

/** Raw samples, one a minute from T0: values[i] at T0 + i min. */
const raw = (values: number[]): RangePoint[] =>
  values.map((v, i) => {
    const ts = new Date(T0 + i * MIN);
    return { ts, min: v, max: v, sum: v, count: 1, firstTs: ts, firstValue: v, lastTs: ts, lastValue: v, inc: 0, incMs: 0, resets: 0 };
  });

describe("counterWindow", () => {
  const cases: [string, number[], number[], number, CounterWindowExpect][] = [
    ["sums the increases ending in the window", [10, 12, 12, 15], [], T0, { delta: 5, coveredMs: 3 * MIN, resets: 0 }],
    ["the sample before the window anchors the first increase", [10, 12, 12, 15], [], T0 + MIN, { delta: 3, coveredMs: 2 * MIN, resets: 0 }],
    ["a quiet window is a real 0", [7, 7, 7], [], T0, { delta: 0, coveredMs: 2 * MIN, resets: 0 }],
    ["a counter going down is a reset: left out, not negative", [10, 12, 1, 3], [], T0, { delta: 4, coveredMs: 2 * MIN, resets: 1 }],
    ["a changed marker is a reset even when the counter does not go down", [0, 0, 0, 2], [100, 100, 200, 200], T0, { delta: 2, coveredMs: 2 * MIN, resets: 1 }],
    ["only resets: unknown, never 0", [5, 0], [100, 200], T0, { delta: null, coveredMs: 0, resets: 1 }],
    ["one sample: unknown", [5], [], T0, { delta: null, coveredMs: 0, resets: 0 }],
  ];
  it.each(cases)("%s", (_name, values, marker, from, expected) => {
    expect(counterWindow(raw(values), raw(marker), from, T0 + 10 * MIN)).toEqual(expected);
  });

  it("counts resets inside a rollup bucket, whose increase already leaves them out", () => {
    const ts = new Date(T0);
    const bucket: RangePoint = { ts, min: 0, max: 9, sum: 20, count: 6, firstTs: ts, firstValue: 4, lastTs: new Date(T0 + 5 * MIN), lastValue: 3, inc: 8, incMs: 4 * MIN, resets: 1 };
    expect(counterWindow([bucket], [], T0 - MIN, T0 + 10 * MIN)).toEqual({ delta: 8, coveredMs: 4 * MIN, resets: 1 });
  });
});

type CounterWindowExpect = ReturnType<typeof counterWindow>;

describe("toCheckpoints", () => {
  const points = (over: Partial<Record<CheckpointField, RangePoint[]>> = {}): Record<CheckpointField, RangePoint[]> => ({
    timed: raw([10, 11, 12, 13]),
    requested: raw([4, 4, 5, 5]),
    writeTimeMs: raw([1000, 1500, 1500, 2500]),
    syncTimeMs: raw([10, 20, 20, 30]),
    buffersCheckpoint: raw([100, 200, 300, 400]),
    buffersClean: raw([0, 0, 0, 0]),
    buffersBackend: raw([50, 60, 70, 80]),
    ...over,
  });
  const base = { window: "1h" as const, fromMs: T0, toMs: T0 + 10 * MIN, marker: [], takenAt: new Date(T0 + 3 * MIN), cadenceMs: MIN, unavailable: null };

  it("timed vs requested as deltas, the requested share once there are enough checkpoints", () => {
    const c = toCheckpoints({ ...base, points: points(), backendWritesMoved: false });
    expect(c).toMatchObject({ timed: 3, requested: 1, requestedPercent: 25, writeTimeMs: 1500, syncTimeMs: 20, buffersCheckpoint: 300, buffersClean: 0, buffersBackend: 30, buffersBackendNote: null, coveredMs: 3 * MIN });
    expect(checkpointsSchema.parse(c)).toEqual(c);
  });

  it("too few checkpoints: no share", () => {
    const c = toCheckpoints({ ...base, points: points({ timed: raw([10, 10, 11, 11]), requested: raw([4, 4, 4, 4]) }), backendWritesMoved: false });
    expect([c.timed, c.requested, c.requestedPercent]).toEqual([1, 0, null]);
  });

  it("17+: backend writes are not a 0 but a note", () => {
    const c = toCheckpoints({ ...base, points: points({ buffersBackend: [] }), backendWritesMoved: true });
    expect([c.buffersBackend, c.buffersBackendNote]).toEqual([null, BUFFERS_BACKEND_NOTE]);
  });

  it("nothing stored yet: every figure unknown", () => {
    const none = { timed: [], requested: [], writeTimeMs: [], syncTimeMs: [], buffersCheckpoint: [], buffersClean: [], buffersBackend: [] };
    const c = toCheckpoints({ ...base, takenAt: null, points: none, backendWritesMoved: false });
    expect([c.takenAt, c.timed, c.requested, c.requestedPercent, c.writeTimeMs, c.buffersBackend]).toEqual([null, null, null, null, null, null]);
  });
});
