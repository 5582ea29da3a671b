import { createHash } from "node:crypto";
import { fingerprintSync, loadModule, normalizeSync, parseSync } from "libpg-query";
import { maskSql } from "./sql-mask";

// Query text as the product shows and groups it. Statements can carry personal data in their
// literals (birth dates, places), so what reaches a viewer is always normalized by the real
// PostgreSQL parser, or, for text it rejects, masked by a conservative scanner: never raw.
// The parser is WASM: loadSqlParser() once (the collector awaits it at start), then sync calls.

let loaded: Promise<void> | null = null;
let ready = false;

export function loadSqlParser(): Promise<void> {
  loaded ??= loadModule().then(() => {
    ready = true;
  });
  return loaded;
}

function assertReady(): void {
  if (!ready) throw new Error("SQL parser not loaded: await loadSqlParser() first");
}

type ParseTree = ReturnType<typeof parseSync>;

function tryParse(text: string): ParseTree | null {
  assertReady();
  try {
    return parseSync(text);
  } catch {
    return null;
  }
}

/** True when the parser accepts the text (a statement cut short, as pg_stat_activity cuts them, does not parse). */
export function parsesSql(text: string): boolean {
  return tryParse(text) !== null;
}

// libpg-query's normalize and fingerprint report some errors (an unterminated literal, empty
// input) by *returning* the message, which quotes the offending literal. Only text that
// parseSync accepts (it throws properly) is handed to them.

/** Literals replaced by $n by the parser; null when the text does not parse. */
export function normalizeSql(text: string): string | null {
  if (!tryParse(text)) return null;
  try {
    return normalizeSync(text);
  } catch {
    return null;
  }
}

/**
 * A stable id grouping statements that differ only in constants (libpg_query's fingerprint:
 * 16 hex digits). Text the parser rejects gets a hash of its masked, case- and space-folded
 * form, so a truncated statement still groups with its identical truncated siblings.
 */
export function fingerprintSql(text: string): string {
  if (tryParse(text)) {
    try {
      const fp = fingerprintSync(text);
      if (/^[0-9a-f]{16}$/.test(fp)) return fp;
    } catch {
      // fall through to the masked hash
    }
  }
  {
    const folded = maskSql(text).text.toLowerCase().replace(/\s+/g, " ").trim();
    return createHash("sha256").update(folded).digest("hex").slice(0, 16);
  }
}

export const TRUNCATED_MARK = " …";

/**
 * The text a viewer may see. Parsed: normalized, then comments removed and any literal the
 * normalizer keeps (a COPY file name, a COMMENT string) masked. Unparsed: masked by the
 * scanner (strings and numbers), cut at any unterminated literal, and marked as truncated.
 */
export function redactSql(text: string): string {
  const normalized = normalizeSql(text);
  if (normalized !== null) return tidy(maskSql(normalized, { numbers: false }).text);
  return tidy(maskSql(text, { numbers: true }).text) + TRUNCATED_MARK;
}

// Removed comments leave runs of blanks behind.
const tidy = (s: string) => s.replace(/[ \t]+/g, " ").replace(/ *\n */g, "\n").trim();

/** True when the text holds $n parameters (a normalized statement cannot run as is). */
export function hasPlaceholders(text: string): boolean {
  const tree = tryParse(text);
  if (tree) return someNode(tree, (key) => key === "ParamRef");
  return maskSql(text).hadPlaceholders;
}

const WRITE_NODES = new Set(["InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"]);

/**
 * Gate for EXPLAIN: exactly one SELECT (or VALUES / set operation of SELECTs) with no
 * data-modifying CTE, no SELECT INTO and no FOR UPDATE/SHARE (row locks) at any depth. Anything
 * that does not parse is refused. Which functions may run is not decided here, by name: the
 * EXPLAIN path checks every function the statement reaches against the target's catalog
 * (lib/analysis/explain-rule.ts).
 */
export function isSingleSelect(text: string): boolean {
  const tree = tryParse(text);
  if (!tree || tree.stmts?.length !== 1) return false;
  const stmt = tree.stmts[0]?.stmt as Record<string, unknown> | undefined;
  if (!stmt || Object.keys(stmt).length !== 1 || !("SelectStmt" in stmt)) return false;
  return !someNode(stmt, (key, value) => {
    if (WRITE_NODES.has(key)) return true;
    if (key === "intoClause" && value) return true;
    return key === "lockingClause" && Array.isArray(value) && value.length > 0;
  });
}

/** Depth-first search over a JSON parse tree for a key matching the predicate. */
function someNode(node: unknown, pred: (key: string, value: unknown) => boolean): boolean {
  if (Array.isArray(node)) return node.some((n) => someNode(n, pred));
  if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (pred(k, v)) return true;
      if (someNode(v, pred)) return true;
    }
  }
  return false;
}
