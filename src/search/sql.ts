/**
 * The search index in D1: schema, the statements the upload runs per article, and the query the
 * Worker runs per search page. Written against the D1 API (a structural subset, so that Node
 * tests and the upload can pass Miniflare's D1 binding too). Measurements: src/search/README.md.
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
 * every match of a common word is the expensive part (a very common word at 100k posts matches
 * most of them), so for queries matching more than `cap` articles ({@link rankCap}) the ranking
 * is bounded:
 * - articles whose title contains the whole query come first (with these weights bm25 puts them
 *   first anyway), ranked by title bm25; then all other matches;
 * - a tier larger than `cap` is ranked in windows of `cap` articles, newest window first, each
 *   by bm25. Every match is still on some page; `total` is exact.
 * With at most `cap` matches (nearly every query that names something) the order is plain bm25,
 * in a single statement.
 */
import { indexTokens } from './tokenize.js';

/** Title weight in bm25 (body weight 1): a title hit outweighs any number of body hits. */
export const TITLE_WEIGHT = 10;
/** Article ids must be below this (2^22 = 4,194,304): the low bits of the FTS rowid. */
export const ROWID_ID_SPAN = 4_194_304;
/** Seconds since 1970 must be below this (2^33: the year 2242): the high bits of the FTS rowid. */
const MAX_SECONDS = 2 ** 33 - 1;

/** The schema, one statement per entry (migrations/0002_search.sql is the same text). */
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
 * it. `tokens` defaults to indexTokens(title) / indexTokens(text); pass them when already computed.
 */
export function searchIndexStatements(
  db: SearchDb,
  doc: SearchDocument,
  tokens: { title: string; body: string } = { title: indexTokens(doc.title), body: indexTokens(doc.text) },
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

/** A D1 statement as the upload batches it (src/upload/plan.ts `Statement`). */
export interface BoundStatement {
  sql: string;
  params: (string | number | null)[];
}

/**
 * The article's id by its slug, for statements that run in the same batch as its `articles`
 * upsert (a new article has no id before that).
 */
const ID_OF_SLUG = '(SELECT id FROM articles WHERE slug = ?1)';

/**
 * The most body text indexed per article (characters). FTS5 and D1 hold a row in one value of at
 * most 2,000,000 bytes, and a CJK character becomes about three bytes of tokens per bigram.
 */
export const MAX_INDEXED_CHARS = 150_000;

/**
 * searchIndexStatements for the upload: the same four statements, keyed by slug so they can follow
 * the article's upsert in one batch (one transaction).
 */
export function searchUpsertBySlug(slug: string, doc: Omit<SearchDocument, 'articleId'>): BoundStatement[] {
  const text = doc.text.length > MAX_INDEXED_CHARS ? doc.text.slice(0, MAX_INDEXED_CHARS) : doc.text;
  const seconds = rowidSeconds(doc.date);
  return [
    ...searchDeleteBySlug(slug),
    { sql: `INSERT INTO search_text (article_id, fts_rowid, body) SELECT id, ?2 * ${ROWID_ID_SPAN} + id, ?3 FROM articles WHERE slug = ?1`, params: [slug, seconds, text] },
    {
      sql: `INSERT INTO search_fts (rowid, title, body) SELECT ?2 * ${ROWID_ID_SPAN} + id, ?3, ?4 FROM articles WHERE slug = ?1`,
      params: [slug, seconds, indexTokens(doc.title), indexTokens(text)],
    },
  ];
}

/** searchDeleteStatements by slug (the article's row still exists: it is marked gone first). */
export function searchDeleteBySlug(slug: string): BoundStatement[] {
  return [
    { sql: `DELETE FROM search_fts WHERE rowid = (SELECT fts_rowid FROM search_text WHERE article_id = ${ID_OF_SLUG})`, params: [slug] },
    { sql: `DELETE FROM search_text WHERE article_id = ${ID_OF_SLUG}`, params: [slug] },
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
const ID = (rowid: string) => `${rowid} % ${ROWID_ID_SPAN}`;

/** Rowid of the n-th newest match (0-based) of ?1. */
const NTH_NEWEST = (param: string) =>
  `(SELECT rowid FROM search_fts WHERE search_fts MATCH ?1 ORDER BY rowid DESC LIMIT 1 OFFSET ${param})`;

/** The columns a result needs, for a page `p(r, s)` of ranked rowids. */
const RESULT_COLUMNS = `${ID('p.r')} AS id, p.s AS score, a.slug AS slug, a.title AS title, a.date AS date, a.summary AS summary, t.body AS text`;
const RESULT_JOINS = `LEFT JOIN articles AS a ON a.id = ${ID('p.r')} LEFT JOIN search_text AS t ON t.article_id = ${ID('p.r')}`;

/**
 * The common case in one statement: ?1 MATCH, ?2 LIMIT, ?3 OFFSET, ?4 the cap. `g` counts matches
 * up to cap + 1 (stopping there); only when that is within the cap are the matches scored, once,
 * into `m`, which also gives the total. Always at least one row (guard and total; the page columns
 * null when the page is empty), so "more than the cap" and "no matches" are told apart. For
 * single-token queries, where finding matches is cheap and scoring is not.
 */
export const EXACT_PAGE_SQL =
  `WITH g AS MATERIALIZED (SELECT count(*) AS n FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ?1 LIMIT ?4 + 1)), ` +
  `m AS MATERIALIZED (SELECT rowid AS r, ${BM25} AS s FROM search_fts WHERE search_fts MATCH ?1 ` +
  // LIMIT 0 when over the cap: SQLite then skips the scan; a false WHERE term would still walk it.
  `LIMIT (CASE WHEN (SELECT n FROM g) <= ?4 THEN -1 ELSE 0 END)), ` +
  `p AS (SELECT r, s FROM m ORDER BY s, r DESC LIMIT ?2 OFFSET ?3) ` +
  `SELECT g.n AS guard, (SELECT count(*) FROM m) AS total, ${RESULT_COLUMNS} ` +
  `FROM g LEFT JOIN p ON 1 ${RESULT_JOINS} ORDER BY p.s, p.r DESC`;

/**
 * The same for phrase queries, where finding the matches (comparing positions) costs as much as
 * scoring them: one pass scores up to cap + 1 matches; if there are more, the page is empty and
 * `guard` says so (the scoring was wasted, bounded by the cap).
 */
export const EXACT_PAGE_ONE_PASS_SQL =
  `WITH m AS MATERIALIZED (SELECT rowid AS r, ${BM25} AS s FROM search_fts WHERE search_fts MATCH ?1 LIMIT ?4 + 1), ` +
  `g AS MATERIALIZED (SELECT count(*) AS n FROM m), ` +
  `p AS (SELECT r, s FROM m WHERE (SELECT n FROM g) <= ?4 ORDER BY s, r DESC LIMIT ?2 OFFSET ?3) ` +
  `SELECT g.n AS guard, g.n AS total, ${RESULT_COLUMNS} ` +
  `FROM g LEFT JOIN p ON 1 ${RESULT_JOINS} ORDER BY p.s, p.r DESC`;

export const COUNT_SQL = `SELECT count(*) AS n FROM search_fts WHERE search_fts MATCH ?1`;

/**
 * One ranked slice of a tier: ?1 the tier's MATCH, ?2 LIMIT, ?3 OFFSET; with a window, ?4/?5 are
 * the offsets (newest first) of its first and last match.
 */
function sliceSql(windowed: boolean): string {
  const range = windowed
    ? ` AND rowid <= coalesce(${NTH_NEWEST('?4')}, 9223372036854775807) AND rowid >= coalesce(${NTH_NEWEST('?5')}, 0)`
    : '';
  return (
    `SELECT ${RESULT_COLUMNS} FROM (SELECT rowid AS r, ${BM25} AS s FROM search_fts ` +
    `WHERE search_fts MATCH ?1${range} ORDER BY s, rowid DESC LIMIT ?2 OFFSET ?3) AS p ${RESULT_JOINS} ORDER BY p.s, p.r DESC`
  );
}
const SLICE_SQL = sliceSql(false);
const WINDOW_SQL = sliceSql(true);

/**
 * How many matches are scored exactly before the ranking switches to tiers and windows. Two kinds
 * of query cost differently (measured in src/search/README.md):
 * - only single-token terms (`芯片`, `linux`, `猫`*, `苹果 芯片`): finding the matches is cheap
 *   (walking doclists), scoring them is not (bm25 reads each row's positions and sizes), so the
 *   cap is small, {@link TOKEN_RANK_CAP};
 * - a term of several tokens (a phrase: `边缘网络方案`, `win11`, `"Windows Hello"`): every candidate
 *   row's positions are compared just to find the matches, so each extra pass over them (the
 *   counts and windows of the bounded ranking) costs as much as scoring; these are ranked exactly
 *   up to {@link PHRASE_RANK_CAP}.
 */
export const TOKEN_RANK_CAP = 2_000;
export const PHRASE_RANK_CAP = 20_000;

/** True when some term of the MATCH expression is a phrase of several tokens. */
export function hasPhrase(match: string): boolean {
  return (match.match(/"(?:[^"]|"")*"/g) ?? []).some((quoted) => quoted.includes(' '));
}

export function rankCap(match: string): number {
  return hasPhrase(match) ? PHRASE_RANK_CAP : TOKEN_RANK_CAP;
}

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
  /** The article's list item (articles.summary, JSON: path, categories…), or null. */
  summary: string | null;
}

export interface SearchPageResult {
  rows: SearchRow[];
  total: number;
  pages: number;
  /** Summed over the statements: D1's rows_read and SQL duration; statements and round trips made. */
  meta: { rowsRead: number; durationMs: number; statements: number; roundTrips: number };
}

export interface SearchPageOptions {
  /** Matches ranked exactly; default {@link rankCap} of the query. */
  cap?: number;
}

type RawRow = Partial<SearchRow> & { guard?: number; total?: number };

/** Rows of a page, without the ones whose article vanished between statements. */
function resultRows(rows: readonly RawRow[]): SearchRow[] {
  return rows.filter((r): r is RawRow & SearchRow => typeof r.id === 'number' && typeof r.slug === 'string').map((r) => ({
    id: r.id,
    slug: r.slug,
    title: r.title,
    date: r.date ?? null,
    text: r.text ?? '',
    score: r.score,
    summary: typeof r.summary === 'string' ? r.summary : null,
  }));
}

/**
 * Page `page` (1-based) of `pageSize` results for a parsed query. One D1 round trip when the query
 * has at most `cap` matches; otherwise two (single-token queries: the guarded page and both counts,
 * then the ranked window slices) or three (phrase queries count in a round trip of their own). A
 * page past the end has no rows (the route decides between an empty page and a 404).
 */
export async function searchPage(
  db: SearchDb,
  query: { match: string | null },
  page: number,
  pageSize: number,
  options: SearchPageOptions = {},
): Promise<SearchPageResult> {
  const meta = { rowsRead: 0, durationMs: 0, statements: 0, roundTrips: 0 };
  const match = query.match;
  if (match === null || !Number.isSafeInteger(page) || page < 1 || !Number.isSafeInteger(pageSize) || pageSize < 1) {
    return { rows: [], total: 0, pages: 0, meta };
  }
  const cap = options.cap ?? rankCap(match);
  const send = async <T>(statements: SearchDbStatement[]): Promise<SearchDbResult<T>[]> => {
    const results = await db.batch<T>(statements);
    meta.roundTrips++;
    for (const r of results) {
      meta.statements++;
      meta.rowsRead += r.meta.rows_read ?? 0;
      meta.durationMs += r.meta.duration ?? 0;
    }
    return results;
  };
  const count = (r: SearchDbResult<{ n?: number }> | undefined) => Number(r?.results[0]?.n ?? 0);

  // Single-token queries also count in the first round trip (cheap for them), so a large match
  // set needs one more round trip, not two.
  const countsFirst = !hasPhrase(match);
  const countStatements = () => [db.prepare(COUNT_SQL).bind(match), db.prepare(COUNT_SQL).bind(tierMatch(match, 'title'))];
  const firstBatch = await send<RawRow & { n?: number }>([
    db.prepare(countsFirst ? EXACT_PAGE_SQL : EXACT_PAGE_ONE_PASS_SQL).bind(match, pageSize, (page - 1) * pageSize, cap),
    ...(countsFirst ? countStatements() : []),
  ]);
  const exact = firstBatch[0];
  const first = exact?.results[0];
  if (first === undefined || Number(first.guard ?? 0) <= cap) {
    const total = Number(first?.total ?? 0);
    return { rows: resultRows(exact?.results ?? []), total, pages: Math.ceil(total / pageSize), meta };
  }
  const [all, inTitle] = countsFirst ? firstBatch.slice(1) : await send<{ n?: number }>(countStatements());
  const total = count(all);
  const pages = Math.ceil(total / pageSize);
  const segments = planPage(total, count(inTitle), page, pageSize, cap);
  if (segments.length === 0) return { rows: [], total, pages, meta };
  const slices = await send<RawRow>(
    segments.map((s) => {
      const m = tierMatch(match, s.tier);
      if (s.window === null) return db.prepare(SLICE_SQL).bind(m, s.limit, s.offset);
      const lo = Math.min((s.window + 1) * cap, s.tierSize) - 1;
      return db.prepare(WINDOW_SQL).bind(m, s.limit, s.offset, s.window * cap, lo);
    }),
  );
  return { rows: slices.flatMap((r) => resultRows(r.results)), total, pages, meta };
}
