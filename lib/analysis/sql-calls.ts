import { parseSync } from "libpg-query";

// What a statement asks PostgreSQL to look up by name, read from the real parser's tree: the
// functions it calls, the operators and cast target types it names (each backed by functions),
// and the relations it reads (a view runs its own functions). Names only: which overload or
// which operator the server picks depends on types known after parse analysis, so the catalog
// check (lib/analysis/explain-rule.ts) vets every candidate with the name.
// The parser must be loaded first (loadSqlParser in ./sql-text).

export interface QualifiedName {
  /** The schema as written; null when the name is unqualified (the search path decides). */
  schema: string | null;
  name: string;
}

export interface StatementCalls {
  functions: QualifiedName[];
  operators: QualifiedName[];
  types: QualifiedName[];
  relations: QualifiedName[];
}

export const NO_CALLS: StatementCalls = { functions: [], operators: [], types: [], relations: [] };

type Node = Record<string, unknown>;

// Constructs whose operators the server looks up by name although no operator is written.
const IMPLIED_EQUALS: QualifiedName = { schema: null, name: "=" };
// BETWEEN expands to >= and <= (NOT BETWEEN to < and >); the tree only says "BETWEEN".
const BETWEEN_OPERATORS = ["<", "<=", ">", ">="].map((name) => ({ schema: null, name }));

/** Every name the statement resolves; null when the text does not parse. */
export function collectCalls(text: string): StatementCalls | null {
  let tree: unknown;
  try {
    tree = parseSync(text);
  } catch {
    return null;
  }
  const found = { functions: new NameSet(), operators: new NameSet(), types: new NameSet(), relations: new NameSet() };
  walk(tree, (kind, node) => {
    switch (kind) {
      case "FuncCall":
        found.functions.add(qualified(node.funcname));
        break;
      case "A_Expr":
        if (String(node.kind).includes("BETWEEN")) BETWEEN_OPERATORS.forEach((op) => found.operators.add(op));
        else found.operators.add(qualified(node.name));
        break;
      case "SubLink":
        // x IN (SELECT …) carries no operator name: it is "=".
        if (["ANY_SUBLINK", "ALL_SUBLINK", "ROWCOMPARE_SUBLINK"].includes(String(node.subLinkType))) {
          found.operators.add(qualified(node.operName) ?? IMPLIED_EQUALS);
        }
        break;
      case "SortBy":
        found.operators.add(qualified(node.useOp));
        break;
      case "CaseExpr":
        if (node.arg) found.operators.add(IMPLIED_EQUALS);
        break;
      case "JoinExpr":
        if (node.isNatural || (Array.isArray(node.usingClause) && node.usingClause.length > 0)) found.operators.add(IMPLIED_EQUALS);
        break;
      case "TypeCast":
        found.types.add(qualified((node.typeName as Node | undefined)?.names));
        break;
      case "RangeVar":
        found.relations.add(typeof node.relname === "string" ? { schema: typeof node.schemaname === "string" ? node.schemaname : null, name: node.relname } : null);
        break;
    }
  });
  return { functions: found.functions.list(), operators: found.operators.list(), types: found.types.list(), relations: found.relations.list() };
}

/** [catalog.]schema.name from a list of String nodes; the catalog part is the current database. */
function qualified(list: unknown): QualifiedName | null {
  if (!Array.isArray(list) || list.length === 0) return null;
  const parts = list.map((n) => (n as { String?: { sval?: string } }).String?.sval);
  if (parts.some((p) => typeof p !== "string")) return null;
  const name = parts[parts.length - 1] as string;
  return { schema: parts.length > 1 ? (parts[parts.length - 2] as string) : null, name };
}

class NameSet {
  private readonly byKey = new Map<string, QualifiedName>();
  add(n: QualifiedName | null): void {
    if (n) this.byKey.set(JSON.stringify([n.schema, n.name]), n);
  }
  list(): QualifiedName[] {
    return [...this.byKey.values()];
  }
}

/** Visits every node of the JSON tree as (node type, fields), depth first. */
function walk(value: unknown, visit: (kind: string, node: Node) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) walk(v, visit);
    return;
  }
  if (!value || typeof value !== "object") return;
  for (const [k, v] of Object.entries(value)) {
    // Node types are capitalised keys (FuncCall, A_Expr); fields are lower case.
    if (/^[A-Z]/.test(k) && v && typeof v === "object" && !Array.isArray(v)) visit(k, v as Node);
    walk(v, visit);
  }
}
