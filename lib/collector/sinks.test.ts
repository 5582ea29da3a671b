import { describe, expect, it } from "vitest";
import type { MetricResult } from "@/lib/metrics/types";
import { deliver } from "./sinks";

const result: MetricResult = { status: "ok", metric: "up", targetId: "t", ts: new Date(0), durationMs: 1, rows: [{ up: 1, error: null }] };

describe("deliver", () => {
  it("keeps feeding the other sinks when one throws or rejects", async () => {
    const got: string[] = [];
    const warnings: string[] = [];
    const log = { info: () => {}, warn: (_: object, msg: string) => warnings.push(msg) };
    deliver(
      [
        { accept: () => { throw new Error("sync"); } },
        { accept: (r) => got.push(`a:${r.metric}`) },
        { accept: (() => Promise.reject(new Error("async"))) as unknown as (r: MetricResult) => void },
        { accept: (r) => got.push(`b:${r.metric}`) },
      ],
      result,
      log,
    );
    await new Promise((r) => setTimeout(r, 0));
    expect(got).toEqual(["a:up", "b:up"]);
    expect(warnings.sort()).toEqual(["sink rejected a result", "sink threw on a result"]);
  });
});
