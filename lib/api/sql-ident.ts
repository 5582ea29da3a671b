// The SQL a DBA would run to fix an index, shown for copying and never executed by pgpulse.
// Identifiers are quoted the way PostgreSQL's quote_ident does.

const SIMPLE = /^[a-z_][a-z0-9_$]*$/;
// Reserved words that cannot stand unquoted as a relation name.
const RESERVED = new Set(
  "all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit localtime localtimestamp not null offset on only or order placing primary references returning select session_user some symmetric system_user table then to trailing true union unique user using variadic when where window with".split(
    " ",
  ),
);

export function quoteIdent(name: string): string {
  if (SIMPLE.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

export function reindexSql(schema: string, index: string): string {
  return `REINDEX INDEX CONCURRENTLY ${qualified(schema, index)};`;
}

export function dropIndexSql(schema: string, index: string): string {
  return `DROP INDEX CONCURRENTLY ${qualified(schema, index)};`;
}
