// Turns EXPLAIN (FORMAT JSON) into a tree the page can draw: costs, rows, times, and the node
// where the time went. Exclusive time = the node's own time (its total × loops minus its
// children's), which is what "slowest node" should mean; without ANALYZE, cost stands in.

export interface PlanNode {
  id: number;
  nodeType: string;
  /** "on users u", "using users_pkey" — what the node works on. */
  detail: string | null;
  startupCost: number | null;
  totalCost: number | null;
  planRows: number | null;
  actualRows: number | null;
  loops: number | null;
  /** Inclusive time of all loops, ms. */
  actualTotalMs: number | null;
  exclusiveMs: number | null;
  exclusiveCost: number | null;
  extra: Record<string, unknown>;
  children: PlanNode[];
}

export interface ParsedPlan {
  root: PlanNode;
  planningMs: number | null;
  executionMs: number | null;
  /** The node with the largest exclusive time (ANALYZE) or exclusive cost (plan only). */
  slowestId: number;
  analyzed: boolean;
}

const KNOWN = new Set([
  "Node Type", "Plans", "Startup Cost", "Total Cost", "Plan Rows", "Plan Width", "Actual Rows",
  "Actual Loops", "Actual Total Time", "Actual Startup Time", "Relation Name", "Alias", "Index Name",
  "Parallel Aware", "Async Capable", "Parent Relationship", "Schema",
]);

export function parsePlan(json: unknown): ParsedPlan {
  const top = Array.isArray(json) ? json[0] : json;
  if (!isObj(top) || !isObj(top.Plan)) throw new Error("not an EXPLAIN (FORMAT JSON) result");
  let next = 0;
  const walk = (p: Record<string, unknown>): PlanNode => {
    const children = Array.isArray(p.Plans) ? p.Plans.filter(isObj).map(walk) : [];
    const loops = num(p["Actual Loops"]);
    const perLoop = num(p["Actual Total Time"]);
    const actualTotalMs = perLoop === null ? null : perLoop * (loops ?? 1);
    const childMs = children.reduce((a, c) => a + (c.actualTotalMs ?? 0), 0);
    const totalCost = num(p["Total Cost"]);
    const childCost = children.reduce((a, c) => a + (c.totalCost ?? 0), 0);
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(p)) if (!KNOWN.has(k)) extra[k] = v;
    const rel = str(p["Relation Name"]);
    const idx = str(p["Index Name"]);
    const alias = str(p.Alias);
    const detail = [idx ? `using ${idx}` : null, rel ? `on ${rel}${alias && alias !== rel ? ` ${alias}` : ""}` : null]
      .filter(Boolean)
      .join(" ");
    return {
      id: next++,
      nodeType: str(p["Node Type"]) ?? "?",
      detail: detail || null,
      startupCost: num(p["Startup Cost"]),
      totalCost,
      planRows: num(p["Plan Rows"]),
      actualRows: num(p["Actual Rows"]),
      loops,
      actualTotalMs,
      exclusiveMs: actualTotalMs === null ? null : Math.max(0, actualTotalMs - childMs),
      exclusiveCost: totalCost === null ? null : Math.max(0, totalCost - childCost),
      extra,
      children,
    };
  };
  const root = walk(top.Plan);
  const analyzed = root.actualTotalMs !== null;
  let slowest = root;
  const visit = (n: PlanNode) => {
    const key = (x: PlanNode) => (analyzed ? (x.exclusiveMs ?? -1) : (x.exclusiveCost ?? -1));
    if (key(n) > key(slowest)) slowest = n;
    n.children.forEach(visit);
  };
  visit(root);
  return {
    root,
    planningMs: num(top["Planning Time"]),
    executionMs: num(top["Execution Time"]),
    slowestId: slowest.id,
    analyzed,
  };
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}
function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}
