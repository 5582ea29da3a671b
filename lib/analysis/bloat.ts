// Btree bloat: the statistics-based estimate (cheap, catalog only, every index) and the exact
// figure from pgstatindex() (reads every block, so only for the indexes that matter).
// Pure arithmetic; the SQL that gathers the inputs lives in lib/metrics/definitions/index-bloat.ts.

const MAXALIGN = 8;
const PAGE_HEADER = 24; // SizeOfPageHeaderData
const BTREE_SPECIAL = 16; // BTPageOpaqueData, at the end of every btree page
const ITEM_ID = 4; // line pointer per tuple
const INDEX_TUPLE_HEADER = 8; // IndexTupleData (t_tid + t_info)
const NULL_BITMAP_HEADER = 16; // MAXALIGN(8 + IndexAttributeBitMapData) when a key is NULL
const INTERNAL_FILLFACTOR = 70; // BTREE_NONLEAF_FILLFACTOR: internal pages are built 70 % full

export const MIN_RELIABLE_INDEX_BYTES = 1024 * 1024;
/** An estimate this far below zero is a model failure, not a tight index. */
const NEGATIVE_TOLERANCE_POINTS = 5;
/** Average entries per distinct key from which deduplication (PG 13+) visibly shrinks an index. */
const DEDUP_DUPLICATES_PER_KEY = 1.5;
/** NULL keys are deduplicated too and carry a bitmap; above this share the model drifts. */
const NULL_HEAVY_FRACTION = 0.2;

export type UnreliableReason = "expression" | "deduplicated" | "null_heavy" | "negative_estimate" | "small_index";

export interface BtreeColumn {
  /** typlen of the column's type in the index: > 0 fixed width, -1 varlena, -2 cstring. */
  attlen: number;
  attalign: "c" | "s" | "i" | "d";
  avgWidth: number | null;
  nullFrac: number | null;
  /** pg_stats.n_distinct: > 0 a count, < 0 minus a fraction of the rows. */
  nDistinct: number | null;
  expression: boolean;
  /** False for INCLUDE columns (stored in leaf tuples, never deduplicated on). */
  key: boolean;
}

export interface BtreeEstimateInput {
  serverVersionNum: number;
  /** Index reltuples: −1 is "never vacuumed or analysed" on 14+; 13 uses 0 for that. */
  reltuples: number;
  relpages: number;
  blockSize: number;
  fillfactor: number;
  unique: boolean;
  /** Every key opclass supports deduplication, no INCLUDE columns, deduplicate_items not off. */
  dedupAllowed: boolean;
  columns: BtreeColumn[];
}

export interface BtreeEstimate {
  expectedPages: number;
  /** Floored at 0; a negative figure marks the estimate unreliable instead. */
  bloatPercent: number;
  wastedBytes: number;
  reliable: boolean;
  unreliableReason: UnreliableReason | null;
}

const alignUp = (v: number, a: number) => Math.ceil(v / a) * a;
const ALIGN = { c: 1, s: 2, i: 4, d: 8 } as const;

/** The estimate, or null when it cannot be made (statistics missing, row count unknown). */
export function estimateBtreeBloat(input: BtreeEstimateInput): BtreeEstimate | null {
  const { reltuples, relpages, blockSize, fillfactor, columns } = input;
  if (relpages <= 0 || columns.length === 0) return null;
  if (reltuples < 0 || (reltuples === 0 && input.serverVersionNum < 140000)) return null;
  if (columns.some((c) => c.nullFrac === null || (c.attlen <= 0 && c.avgWidth === null))) return null;

  // Expected data width of one entry, column by column with alignment padding. A varlena
  // stored in an index keeps the 1-byte short header, so it is not aligned.
  let width = 0;
  let allPresent = 1;
  for (const c of columns) {
    const nf = c.nullFrac ?? 0;
    let w = c.attlen > 0 ? c.attlen : (c.avgWidth ?? 0);
    // Expression statistics count a 4-byte varlena header; the index stores a 1-byte one.
    if (c.expression && c.attlen === -1 && w > 4) w -= 3;
    const align = c.attlen > 0 ? ALIGN[c.attalign] : 1;
    width = alignUp(width, align) + w * (1 - nf);
    allPresent *= 1 - nf;
  }
  const tuple = allPresent * alignUp(INDEX_TUPLE_HEADER + width, MAXALIGN) + (1 - allPresent) * alignUp(NULL_BITMAP_HEADER + width, MAXALIGN);
  const item = tuple + ITEM_ID;

  // CREATE INDEX fills leaves up to fillfactor and internal pages to 70 %; a healthy index
  // after VACUUM sits close to that, which is what "no bloat" means here.
  const usable = blockSize - PAGE_HEADER - BTREE_SPECIAL;
  const perLeaf = Math.max(1, Math.floor((usable - (blockSize * (100 - fillfactor)) / 100) / item));
  const perInternal = Math.max(2, Math.floor((usable - (blockSize * (100 - INTERNAL_FILLFACTOR)) / 100) / item));
  let level = reltuples > 0 ? Math.ceil(reltuples / perLeaf) : 0;
  let expected = 1 + level; // metapage + leaves
  while (level > 1) {
    level = Math.ceil(level / perInternal);
    expected += level;
  }

  const raw = ((relpages - expected) / relpages) * 100;
  const reason = unreliableReason(input, raw);
  return {
    expectedPages: expected,
    bloatPercent: Math.max(0, raw),
    wastedBytes: Math.max(0, (relpages - expected) * blockSize),
    reliable: reason === null,
    unreliableReason: reason,
  };
}

function unreliableReason(input: BtreeEstimateInput, rawPercent: number): UnreliableReason | null {
  const keys = input.columns.filter((c) => c.key);
  if (input.columns.some((c) => c.expression)) return "expression";
  if (input.serverVersionNum >= 130000 && input.dedupAllowed && !input.unique && input.reltuples > 0) {
    // Distinct key combinations, bounded by the row count; NULL is one more value per column.
    let distinct = 1;
    for (const c of keys) {
      const nd = c.nDistinct ?? -1;
      const perColumn = nd > 0 ? nd : -nd * input.reltuples;
      distinct *= Math.max(1, perColumn) + ((c.nullFrac ?? 0) > 0 ? 1 : 0);
    }
    if (input.reltuples / Math.min(input.reltuples, distinct) >= DEDUP_DUPLICATES_PER_KEY) return "deduplicated";
  }
  if (keys.some((c) => (c.nullFrac ?? 0) > NULL_HEAVY_FRACTION)) return "null_heavy";
  if (rawPercent < -NEGATIVE_TOLERANCE_POINTS) return "negative_estimate";
  if (input.relpages * input.blockSize < MIN_RELIABLE_INDEX_BYTES) return "small_index";
  return null;
}

/** The columns of pgstatindex() the exact figure needs. */
export interface PgstatindexResult {
  leafPages: number;
  emptyPages: number;
  deletedPages: number;
  /** Percent, over live leaf pages only; NaN (or null) for an index without leaf pages. */
  avgLeafDensity: number | null;
}

export interface ExactBloat {
  bloatPercent: number;
  wastedBytes: number;
}

/**
 * Exact bloat from pgstatindex. A fresh btree is built fillfactor-full (90 % by default), so
 * density is measured against fillfactor, not 100 %. Empty and deleted leaf pages hold
 * nothing: they count in the leaf level at density 0.
 */
export function exactBtreeBloat(r: PgstatindexResult, fillfactor: number, blockSize: number): ExactBloat {
  const leafLevel = r.leafPages + r.emptyPages + r.deletedPages;
  if (leafLevel <= 0) return { bloatPercent: 0, wastedBytes: 0 };
  const density = r.avgLeafDensity === null || Number.isNaN(r.avgLeafDensity) ? 0 : r.avgLeafDensity;
  const used = (r.leafPages * density) / 100 / leafLevel;
  const bloat = Math.max(0, 1 - used / (fillfactor / 100));
  return { bloatPercent: bloat * 100, wastedBytes: Math.round(leafLevel * blockSize * bloat) };
}
