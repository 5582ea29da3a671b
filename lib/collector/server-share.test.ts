import { describe, expect, it } from "vitest";
import type { MetricResult } from "@/lib/metrics/types";
import { createServerShares, serverKey, type ShareMember } from "./server-share";

function member(targetId: string, database: string, up = true) {
  const got: { result: MetricResult; toSinks: boolean }[] = [];
  const m: ShareMember & { up: boolean } = {
    targetId, up, database: () => database, isUp: () => m.up,
    receive: (result, toSinks) => got.push({ result, toSinks }),
  };
  return { m, got };
}
const ok = (metric: string, rows: Record<string, unknown>[]): MetricResult => ({ status: "ok", metric, targetId: "a", ts: new Date(0), durationMs: 1, rows });

describe("serverKey", () => {
  it.each([
    ["postgres://u:p@DB1.example:5433/app", "db1.example:5433"],
    ["postgres://u@db1.example/other", "db1.example:5432"],
    ["postgresql://127.0.0.1:55/x?sslmode=require", "127.0.0.1:55"],
  ])("%s → %s", (url, key) => expect(serverKey(url)).toBe(key));
});

describe("server shares", () => {
  it("the first member that is up owns; ownership moves when it goes down or leaves", () => {
    const shares = createServerShares();
    const a = member("a", "db_a");
    const b = member("b", "db_b");
    const sb = shares.join("h:1", b.m);
    const sa = shares.join("h:1", a.m);
    expect([sa.owns(), sb.owns()]).toEqual([true, false]);
    a.m.up = false;
    expect([sa.owns(), sb.owns()]).toEqual([false, true]);
    a.m.up = true;
    sa.leave();
    expect(sb.owns()).toBe(true);
    expect(shares.servers()).toEqual(new Map([["h:1", ["b"]]]));
  });

  it("per-database rows go to the member watching that database; the rest stay with the collector", () => {
    const shares = createServerShares();
    const a = member("a", "db_a");
    const b = member("b", "db_b");
    const sa = shares.join("h:1", a.m);
    shares.join("h:1", b.m);
    const own = sa.split(ok("db_stats", [{ datname: "db_a" }, { datname: "db_b" }, { datname: "postgres" }, { datname: null }]));
    expect(own.status === "ok" && own.rows).toEqual([{ datname: "db_a" }, { datname: "postgres" }, { datname: null }]);
    expect(b.got).toHaveLength(1);
    expect(b.got[0].toSinks).toBe(true);
    expect(b.got[0].result).toMatchObject({ targetId: "b", rows: [{ datname: "db_b" }] });
  });

  it("a server-wide figure goes to the others' snapshots only; a failure stays with the collector", () => {
    const shares = createServerShares();
    const a = member("a", "db_a");
    const b = member("b", "db_b");
    const sa = shares.join("h:1", a.m);
    shares.join("h:1", b.m);
    sa.split(ok("connections", [{ total: 3 }]));
    expect(b.got.map((g) => [g.result.targetId, g.toSinks])).toEqual([["b", false]]);
    sa.split({ status: "error", metric: "connections", targetId: "a", ts: new Date(0), durationMs: 1, error: "x" });
    expect(b.got).toHaveLength(1);
  });
});
