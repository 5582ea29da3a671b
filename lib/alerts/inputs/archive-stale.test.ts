import { describe, expect, it } from "vitest";
import { configSchema } from "@/lib/config/schema";
import { evaluate } from "../evaluate";
import { resolveRule } from "../rules";
import { INACTIVE } from "../types";
import { RULES_BY_METRIC, createWindowedInputs } from ".";

// archive_stale from wal and archiver rows shaped like their metric definitions', fed in the
// order the engine sees them.

const MB = 1024 ** 2;
const SEG = 16 * MB;
const T0 = Date.UTC(2026, 0, 5, 12);
const min = (m: number) => T0 + m * 60_000;
const rule = resolveRule("archive_stale", configSchema.parse({}));

const wal = (lsn: number) => ({ lsn_bytes: lsn, in_recovery: false, wal_segment_size_bytes: SEG });
const archiver = (archived: number, lastArchivedAt: number | null, over: Record<string, unknown> = {}) => ({
  archived_count: archived, failed_count: 0, last_archived_wal: "000000010000000000000010", last_archived_time: lastArchivedAt === null ? null : new Date(lastArchivedAt),
  last_failed_wal: null, last_failed_time: null, stats_reset: null, archive_mode: "on", archive_command_set: true, archive_library_set: false, ...over,
});

type Step = ["wal", number, ReturnType<typeof wal>] | ["archiver", number, ReturnType<typeof archiver>];

/** Feeds the steps and returns the observations after the last one, as the engine would ask. */
function run(steps: Step[]) {
  const input = createWindowedInputs().archive_stale!;
  let out: ReturnType<typeof input.observations> = [];
  for (const [metric, ts, row] of steps) {
    input.add("t", ts, [row], rule.windowSeconds * 1000, metric);
    out = input.observations("t", ts, [row], rule, metric);
  }
  return out;
}

describe("archive_stale", () => {
  it("is fed by both metrics", () => {
    expect(RULES_BY_METRIC.wal).toEqual(["archive_stale"]);
    expect(RULES_BY_METRIC.archiver).toContain("archive_stale");
    expect(rule).toMatchObject({ threshold: 900, criticalThreshold: 3600, unit: "seconds", severity: "warning" });
  });

  it("WAL past a segment end and nothing archived for 20 min: the age of the last archive", () => {
    const obs = run([
      ["archiver", min(0), archiver(10, min(0))],
      ["wal", min(0.25), wal(5 * SEG + 100)],
      ["wal", min(20), wal(7 * SEG + 10)],
      ["archiver", min(20.1), archiver(10, min(0))],
    ]);
    expect(obs).toHaveLength(1);
    expect(obs[0]).toMatchObject({ objectKey: "archiver", details: { segmentsWaiting: 2 } });
    expect(obs[0].value).toBeCloseTo(20.1 * 60, 6);
    expect(evaluate(rule, obs[0], INACTIVE, min(20.1)).state).toMatchObject({ state: "firing", severity: "warning" });
  });

  it("a quiet server inside one segment is not stale, however old its last archive", () => {
    expect(run([["archiver", min(0), archiver(10, min(-600))], ["wal", min(1), wal(5 * SEG + 100)], ["wal", min(60), wal(5 * SEG + 9 * MB)]])).toEqual([]);
  });

  it("archiving off, or no command: nothing to watch", () => {
    const steps = (over: Record<string, unknown>): Step[] => [["archiver", min(0), archiver(10, min(-60), over)], ["wal", min(1), wal(SEG)], ["wal", min(30), wal(9 * SEG)]];
    expect(run(steps({ archive_mode: "off" }))).toEqual([]);
    expect(run(steps({ archive_command_set: false }))).toEqual([]);
    expect(run(steps({ archive_command_set: false, archive_library_set: true }))).toHaveLength(1);
  });

  it("until a WAL position is read after the archiver's progress, the value is unknown (held)", () => {
    const obs = run([["wal", min(0), wal(9 * SEG)], ["archiver", min(1), archiver(10, min(-60))]]);
    expect(obs.map((o) => o.value)).toEqual([null]);
  });

  it("a WAL position read before the progress is not an anchor: a late anchor only under-counts", () => {
    // The segment archived at minute 1 ended while the position was read at 0.5: anchoring
    // there would count it as waiting.
    const obs = run([
      ["wal", min(0.5), wal(SEG - 10)],
      ["archiver", min(1), archiver(11, min(1))],
      ["wal", min(30), wal(SEG + 50)],
    ]);
    expect(obs).toEqual([]);
  });

  it("archiving resumes: progress re-anchors and the alert's object goes away", () => {
    const steps: Step[] = [
      ["archiver", min(0), archiver(10, min(0))],
      ["wal", min(1), wal(SEG + 1)],
      ["wal", min(20), wal(3 * SEG + 1)],
    ];
    expect(run(steps)[0].value).toBeCloseTo(20 * 60, 6);
    const resumed = run([...steps, ["archiver", min(21), archiver(12, min(20.9))], ["wal", min(21.25), wal(3 * SEG + 500)]]);
    expect(resumed).toEqual([]);
  });

  it("never archived since the counters were reset: counts from the first sighting", () => {
    const obs = run([["archiver", min(0), archiver(0, null)], ["wal", min(1), wal(SEG + 1)], ["wal", min(40), wal(4 * SEG)]]);
    expect(obs[0].value).toBeCloseTo(40 * 60, 6);
    expect(evaluate(rule, obs[0], INACTIVE, min(40)).state.severity).toBe("warning");
  });

  it("past an hour the episode is critical", () => {
    const obs = run([["archiver", min(0), archiver(10, min(0))], ["wal", min(1), wal(SEG + 1)], ["wal", min(61), wal(4 * SEG)]]);
    expect(evaluate(rule, obs[0], INACTIVE, min(61)).state.severity).toBe("critical");
  });
});
