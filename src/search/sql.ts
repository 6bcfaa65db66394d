/**
 * The search index in D1: schema, the statements the upload runs per article, and the query the
 * Worker runs per search page. Written against the D1 API (a structural subset, so that Node
 * tests and the upload can pass Miniflare's D1 binding too). Measurements: docs/search.md.
 *
 * Layout
 * - `search_fts`: FTS5, contentless (`content=''`, the tokens are not stored, only the index) with
 *   `contentless_delete=1` (SQLite ≥ 3.43) so one row can be deleted by rowid. Columns `title` and
 *   `body` hold ./tokenize.ts output; the `ascii` tokenizer only splits on spaces. `prefix='1'`
 *   makes one-character CJK queries (`"猫"*`) one prefix-index lookup. `detail=full` keeps
 *   positions, which phrases (every CJK query of 3+ characters) need.
 * - `search_text`: one row per article: its FTS rowid and its readable body text, for snippets.
 * - The FTS rowid is `unixSeconds(date) * 2^22 + articleId` (see {@link ROWID_ID_SPAN}), so
 *   rowid order is date order: "newest first" is FTS5's own rowid order, ties in rank are broken
 *   by it without reading another table, and the recency windows below are cheap rowid ranges.
 *   The rowid is computed in SQL from the seconds and the id (it exceeds 2^53, so JavaScript
 *   never holds it); the article id is `rowid % 2^22`.
 *
 * Ranking: bm25 with the title weighted {@link TITLE_WEIGHT}× the body, then newest first. Scoring
 * every match costs about half a microsecond, so for queries matching more than `cap` articles
 * (a very common word at 100k posts matches most of them) the ranking is bounded:
 * - articles whose title contains the whole query come first (with these weights bm25 puts them
 *   first anyway), ranked by title bm25; then all other matches;
 * - a tier larger than `cap` is ranked in windows of `cap` articles, newest window first, each
 *   by bm25. Every match is still on some page; `total` is exact.
 * With at most `cap` matches (nearly every query that names something) the order is plain bm25.
 */
/** Title weight in bm25 (body weight 1): a title hit outweighs any number of body hits. */
export const TITLE_WEIGHT = 10;
/** Matches ranked exactly by bm25; above this, tiers and windows (see above). Measured in docs/search.md. */
export const DEFAULT_RANK_CAP = 10_000;
/** Article ids must be below this (2^22 = 4,194,304): the low bits of the FTS rowid. */
export const ROWID_ID_SPAN = 4_194_304;
/** Seconds since 1970 must be below this (2^33: the year 2242): the high bits of the FTS rowid. */
const MAX_SECONDS = 2 ** 33 - 1;

/** The schema, one statement per entry (migrations/search.sql is the same text). */
export const SEARCH_SCHEMA: readonly string[] = [
  `CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize = 'ascii', content = '', contentless_delete = 1, prefix = '1', detail = full)`,
  `CREATE TABLE search_text (article_id INTEGER PRIMARY KEY, fts_rowid INTEGER NOT NULL, body TEXT NOT NULL)`,
  // 32 KiB index pages instead of 4050 bytes: a third of the shadow-table rows written per post,
  // no measurable query cost. (65536 corrupts the index: SQLITE_CORRUPT_VTAB on the first write.)
  `INSERT INTO search_fts (search_fts, rank) VALUES ('pgsz', 32768)`,
];

// ---------------------------------------------------------------------------------------------
// Minimal D1 surface (D1Database satisfies it; so does Miniflare's binding in Node).

export interface SearchDbMeta {
  duration?: number;
  rows_read?: number;
  rows_written?: number;
}
export interface SearchDbResult<T> {
  results: T[];
  meta: SearchDbMeta;
}
export interface SearchDbStatement {
  bind(...values: unknown[]): SearchDbStatement;
}
export interface SearchDb {
  prepare(sql: string): SearchDbStatement;
  batch<T = unknown>(statements: SearchDbStatement[]): Promise<SearchDbResult<T>[]>;
}

// ---------------------------------------------------------------------------------------------
// Writing (the upload).

export interface SearchDocument {
  /** The `articles.id` of the article (1 ≤ id < 2^22). */
  articleId: number;
  /** Plain title (as shown). */
  title: string;
  /** ISO 8601 date or null (sorted as oldest). */
  date: string | null;
  /** The body's readable text: htmlToSearchText(body). */
  text: string;
}

/** Seconds since 1970 for the rowid's high bits: 0 for no date or dates before 1970. */
export function rowidSeconds(date: string | null): number {
  if (date === null) return 0;
  const ms = Date.parse(date);
  if (!Number.isFinite(ms) || ms < 0) return 0;
  return Math.min(Math.floor(ms / 1000), MAX_SECONDS);
}

function checkArticleId(id: number): void {
  if (!Number.isSafeInteger(id) || id < 1 || id >= ROWID_ID_SPAN) {
    throw new RangeError(`search index: article id ${id} is outside 1..${ROWID_ID_SPAN - 1}`);
  }
}

const DELETE_FTS = `DELETE FROM search_fts WHERE rowid = (SELECT fts_rowid FROM search_text WHERE article_id = ?1)`;
const DELETE_TEXT = `DELETE FROM search_text WHERE article_id = ?1`;
const INSERT_TEXT = `INSERT INTO search_text (article_id, fts_rowid, body) VALUES (?1, ?2 * ${ROWID_ID_SPAN} + ?1, ?3)`;
const INSERT_FTS = `INSERT INTO search_fts (rowid, title, body) VALUES (?1 * ${ROWID_ID_SPAN} + ?2, ?3, ?4)`;

/**
 * Statements that (re)index one article: remove what was indexed for it (nothing, for a new one),
 * then insert. Put them in the same D1 batch (one transaction) as the article's list row, after
 * it. `titleTokens`/`bodyTokens` are indexTokens(title) / indexTokens(text), passed in so that
 * this module stays free of the tokenizer in the Worker bundle.
 */
export function searchIndexStatements(
  db: SearchDb,
  doc: SearchDocument,
  tokens: { title: string; body: string },
): SearchDbStatement[] {
  checkArticleId(doc.articleId);
  const seconds = rowidSeconds(doc.date);
  return [
    db.prepare(DELETE_FTS).bind(doc.articleId),
    db.prepare(DELETE_TEXT).bind(doc.articleId),
    db.prepare(INSERT_TEXT).bind(doc.articleId, seconds, doc.text),
    db.prepare(INSERT_FTS).bind(seconds, doc.articleId, tokens.title, tokens.body),
  ];
}

/** Statements that remove an article from the index (before or with deleting its row). */
export function searchDeleteStatements(db: SearchDb, articleId: number): SearchDbStatement[] {
  checkArticleId(articleId);
  return [db.prepare(DELETE_FTS).bind(articleId), db.prepare(DELETE_TEXT).bind(articleId)];
}

// ---------------------------------------------------------------------------------------------
// Page planning (pure).

export type Tier = 'all' | 'title' | 'rest';

export interface PageSegment {
  tier: Tier;
  /** Size of the tier (all matches, title matches, or the rest). */
  tierSize: number;
  /** Window index inside the tier (newest first), or null when the tier is ranked as a whole. */
  window: number | null;
  /** Offset and count inside the window (or the tier). */
  offset: number;
  limit: number;
}

/**
 * Which ranked slices make up page `page` (1-based) of `pageSize` results, given the number of
 * matches and of title matches (ignored when total ≤ cap). Pure, so the paging rules are tested
 * on their own: every position 0..total-1 is on exactly one page.
 */
export function planPage(total: number, titleTotal: number, page: number, pageSize: number, cap: number): PageSegment[] {
  const start = (page - 1) * pageSize;
  const end = Math.min(start + pageSize, total);
  if (!(start >= 0) || start >= end) return [];
  if (total <= cap) return [{ tier: 'all', tierSize: total, window: null, offset: start, limit: end - start }];
  const out: PageSegment[] = [];
  const tiers: [Tier, number, number][] = [
    ['title', 0, titleTotal],
    ['rest', titleTotal, total - titleTotal],
  ];
  for (const [tier, base, size] of tiers) {
    const s = Math.max(start, base) - base;
    const e = Math.min(end, base + size) - base;
    if (s >= e) continue;
    if (size <= cap) {
      out.push({ tier, tierSize: size, window: null, offset: s, limit: e - s });
      continue;
    }
    for (let w = Math.floor(s / cap); w <= Math.floor((e - 1) / cap); w++) {
      const ws = Math.max(s, w * cap);
      const we = Math.min(e, (w + 1) * cap);
      out.push({ tier, tierSize: size, window: w, offset: ws - w * cap, limit: we - ws });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Querying (the Worker).

/** The MATCH expression of a tier, built from a parsed query's (all-quoted) expression. */
export function tierMatch(match: string, tier: Tier): string {
  if (tier === 'all') return match;
  const inTitle = `{title} : (${match})`;
  return tier === 'title' ? inTitle : `(${match}) NOT (${inTitle})`;
}

const BM25 = `bm25(search_fts, ${TITLE_WEIGHT}.0, 1.0)`;

/** Rowid of the n-th newest match (0-based) of ?1. */
const NTH_NEWEST = (param: string) =>
  `(SELECT rowid FROM search_fts WHERE search_fts MATCH ?1 ORDER BY rowid DESC LIMIT 1 OFFSET ${param})`;

/**
 * One ranked slice with what a result needs. ?1 MATCH, ?2 LIMIT, ?3 OFFSET; with a window,
 * ?4/?5 are the offsets (newest first) of its first and last match.
 */
function sliceSql(windowed: boolean, guard: string): string {
  const range = windowed
    ? ` AND rowid <= coalesce(${NTH_NEWEST('?4')}, 9223372036854775807) AND rowid >= coalesce(${NTH_NEWEST('?5')}, 0)`
    : '';
  return (
    `SELECT p.id AS id, p.score AS score, a.slug AS slug, a.title AS title, a.date AS date, t.body AS text ` +
    `FROM (SELECT rowid AS r, rowid % ${ROWID_ID_SPAN} AS id, ${BM25} AS score FROM search_fts ` +
    `WHERE search_fts MATCH ?1${range}${guard} ORDER BY score, rowid DESC LIMIT ?2 OFFSET ?3) AS p ` +
    `JOIN articles AS a ON a.id = p.id JOIN search_text AS t ON t.article_id = p.id ORDER BY p.score, p.r DESC`
  );
}

export const COUNT_SQL = `SELECT count(*) AS n FROM search_fts WHERE search_fts MATCH ?1`;
/** Matches of ?1, but only counted when ?2 (all matches) has more than ?3 (the cap) matches. */
const TITLE_COUNT_SQL =
  `SELECT count(*) AS n FROM search_fts WHERE search_fts MATCH ?1 ` +
  `AND (SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ?2 LIMIT ?3 + 1)) > ?3`;
/** The exact page, computed only when ?6 (the query) has at most ?7 (the cap) matches. */
const EXACT_SQL = sliceSql(
  false,
  ` AND (SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ?6 LIMIT ?7 + 1)) <= ?7`,
);
const SLICE_SQL = sliceSql(false, '');
const WINDOW_SQL = sliceSql(true, '');

export interface SearchRow {
  /** articles.id */
  id: number;
  slug: string;
  title: string;
  date: string | null;
  /** The body's readable text, for makeSnippet. */
  text: string;
  /** bm25 of its tier (lower is better). */
  score: number;
}

export interface SearchPageResult {
  rows: SearchRow[];
  total: number;
  pages: number;
  /** Summed over the statements: D1's rows_read and SQL duration; statements and round trips made. */
  meta: { rowsRead: number; durationMs: number; statements: number; roundTrips: number };
}

export interface SearchPageOptions {
  /** See {@link DEFAULT_RANK_CAP}. */
  cap?: number;
}

/**
 * Page `page` (1-based) of `pageSize` results for a parsed query. One D1 round trip (a batch of
 * three statements) when the query has at most `cap` matches, two otherwise. A page past the end
 * has no rows (the route decides between an empty page and a 404).
 */
export async function searchPage(
  db: SearchDb,
  query: { match: string | null },
  page: number,
  pageSize: number,
  options: SearchPageOptions = {},
): Promise<SearchPageResult> {
  const cap = options.cap ?? DEFAULT_RANK_CAP;
  const meta = { rowsRead: 0, durationMs: 0, statements: 0, roundTrips: 0 };
  const match = query.match;
  if (match === null || !Number.isSafeInteger(page) || page < 1 || !Number.isSafeInteger(pageSize) || pageSize < 1) {
    return { rows: [], total: 0, pages: 0, meta };
  }
  const account = (results: SearchDbResult<unknown>[]) => {
    meta.roundTrips++;
    for (const r of results) {
      meta.statements++;
      meta.rowsRead += r.meta.rows_read ?? 0;
      meta.durationMs += r.meta.duration ?? 0;
    }
  };
  const offset = (page - 1) * pageSize;
  const first = await db.batch([
    db.prepare(COUNT_SQL).bind(match),
    db.prepare(TITLE_COUNT_SQL).bind(tierMatch(match, 'title'), match, cap),
    db.prepare(EXACT_SQL).bind(match, pageSize, offset, null, null, match, cap),
  ]);
  account(first);
  const total = Number((first[0]?.results[0] as { n?: number } | undefined)?.n ?? 0);
  const pages = Math.ceil(total / pageSize);
  if (total <= cap) {
    return { rows: (first[2]?.results ?? []) as SearchRow[], total, pages, meta };
  }
  const titleTotal = Number((first[1]?.results[0] as { n?: number } | undefined)?.n ?? 0);
  const segments = planPage(total, titleTotal, page, pageSize, cap);
  if (segments.length === 0) return { rows: [], total, pages, meta };
  const statements = segments.map((s) => {
    const m = tierMatch(match, s.tier);
    if (s.window === null) return db.prepare(SLICE_SQL).bind(m, s.limit, s.offset);
    const hi = s.window * cap;
    const lo = Math.min((s.window + 1) * cap, s.tierSize) - 1;
    return db.prepare(WINDOW_SQL).bind(m, s.limit, s.offset, hi, lo);
  });
  const second = await db.batch(statements);
  account(second);
  return { rows: second.flatMap((r) => r.results as SearchRow[]), total, pages, meta };
}
