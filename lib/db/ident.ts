// Identifiers cannot be query parameters: a name read from the catalog (an extension's schema)
// or shown to a DBA for copying (fix SQL, grants) is quoted here, the way PostgreSQL's own
// quote_ident() does: bare when it is a plain lower-case name that is not a keyword, else in
// double quotes with inner quotes doubled. Pure, so client code may import it too.

const PLAIN = /^[a-z_][a-z0-9_]*$/;

// Every keyword that is not "unreserved" on some supported server (pg_get_keywords() catcode
// C, T or R, PostgreSQL 13–18): such a word cannot stand bare as a schema or relation name.
// A keyword of a newer release is quoted on older servers too, which is harmless.
// ident.int.test.ts checks this list against each server.
const KEYWORDS = new Set(
  `all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean both case cast
  char character check coalesce collate collation column concurrently constraint create cross current_catalog
  current_date current_role current_schema current_time current_timestamp current_user dec decimal default deferrable
  desc distinct do else end except exists extract false fetch float for foreign freeze from full grant greatest group
  grouping having ilike in initially inner inout int integer intersect interval into is isnull join json json_array
  json_arrayagg json_exists json_object json_objectagg json_query json_scalar json_serialize json_table json_value
  lateral leading least left like limit localtime localtimestamp merge_action national natural nchar none normalize
  not notnull null nullif numeric offset on only or order out outer overlaps overlay placing position precision
  primary real references returning right row select session_user setof similar smallint some substring symmetric
  system_user table tablesample then time timestamp to trailing treat trim true union unique user using values
  varchar variadic verbose when where window with xmlattributes xmlconcat xmlelement xmlexists xmlforest
  xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable`.split(/\s+/),
);

export function quoteIdent(name: string): string {
  if (PLAIN.test(name) && !KEYWORDS.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** schema.name, each part quoted as needed. */
export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}
