/**
 * The Worker's D1 reads (schema: migrations/0001_index.sql). Each runs only to render a
 * render-cache miss, as one batch (one round trip), and reads only the rows it shows: a list page
 * is one range of `entries` by primary key (tests/worker/store/index-queries.test.ts checks the
 * plan with EXPLAIN QUERY PLAN and the count with D1's own `rows_read`).
 *
 * Reads go through a D1 session that may use a nearby read replica. Every batch also reads the
 * index version, and a replica that has not caught up with the version the request was keyed by
 * is asked again at the primary; if even that disagrees (an upload is between its D1 and KV
 * writes) the result is marked inconsistent, and the caller serves it without caching it.
 */
import { HOME, type ListItem, type ListKind, type ListRow, type TrailStep } from './d1-layout.js';

export interface D1Read<T> {
  value: T;
  /** The D1 data matched the expected index version (safe to cache under it). */
  consistent: boolean;
  rowsRead: number;
}

interface ListRowRaw {
  key: string;
  kind: string;
  name: string;
  parent: string | null;
  trail: string;
  count: number;
  first: number;
}

const LIST_COLUMNS = 'key, kind, name, parent, trail, count, first';

function parseTrail(text: string): TrailStep[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v.filter((s) => Array.isArray(s) && s.length === 2 && s.every((x) => typeof x === 'string')) as TrailStep[]) : [];
  } catch {
    return [];
  }
}

function toListRow(r: ListRowRaw): ListRow {
  return { key: r.key, kind: r.kind as ListKind, name: r.name, parent: r.parent, trail: parseTrail(r.trail), count: r.count, first: r.first };
}

function parseItem(summary: string): ListItem | null {
  try {
    const v = JSON.parse(summary) as ListItem;
    return v && typeof v.slug === 'string' && typeof v.path === 'string' && typeof v.title === 'string' ? v : null;
  } catch {
    return null;
  }
}

const VERSION_SQL = "SELECT value FROM meta WHERE key = 'version'";

/**
 * Runs `statements` (after the version read) in a session; checks the version; retries once at
 * the primary when a replica is behind.
 */
async function consistentBatch(db: D1Database, expected: string | null, build: (d: D1Database | D1DatabaseSession) => D1PreparedStatement[]) {
  const run = async (session: D1Database | D1DatabaseSession) => {
    const results = await session.batch([session.prepare(VERSION_SQL), ...build(session)]);
    const version = (results[0]?.results?.[0] as { value?: string } | undefined)?.value ?? null;
    const rowsRead = results.reduce((n, r) => n + (r.meta?.rows_read ?? 0), 0);
    return { results: results.slice(1), version, rowsRead };
  };
  const sessions = typeof db.withSession === 'function';
  let out = await run(sessions ? db.withSession('first-unconstrained') : db);
  if (expected !== null && out.version !== expected && sessions) out = await run(db.withSession('first-primary'));
  return { ...out, consistent: expected === null || out.version === expected };
}

/** Newest-first positions of page `page` (1-based) of a list of `count` articles from `first`. */
export function pageRange(first: number, count: number, page: number, perPage: number): { lo: number; hi: number } | null {
  if (count <= 0 || page < 1) return null;
  const hi = first + count - 1 - (page - 1) * perPage;
  if (hi < first) return null;
  return { lo: Math.max(first, hi - perPage + 1), hi };
}

export interface ListPageData {
  list: ListRow;
  items: ListItem[];
  page: number;
  pages: number;
}

/** Page `page` of list `key` (newest first); null when there is no such list. */
const PAGE_SQL =
  `SELECT e.summary AS summary FROM lists l JOIN entries e ` +
  `ON e.list = (CASE WHEN l.kind IN ('year', 'month') THEN '${HOME}' ELSE l.key END) ` +
  `AND e.pos BETWEEN max(l.first, l.first + l.count - ?2 * ?3) AND l.first + l.count - 1 - (?2 - 1) * ?3 ` +
  `WHERE l.key = ?1 ORDER BY e.pos DESC`;

export const LIST_PAGE_SQL = PAGE_SQL;

export async function readListPage(
  db: D1Database,
  key: string,
  page: number,
  perPage: number,
  expectedVersion: string | null,
): Promise<D1Read<ListPageData | null>> {
  const out = await consistentBatch(db, expectedVersion, (s) => [
    s.prepare(`SELECT ${LIST_COLUMNS} FROM lists WHERE key = ?`).bind(key),
    s.prepare(PAGE_SQL).bind(key, page, perPage),
  ]);
  const rows = (out.results[0]?.results ?? []) as ListRowRaw[];
  const raw = rows[0];
  if (!raw) {
    // An empty site has a home list of nothing: page 1 is an empty page, not a 404.
    const value = key === HOME && page === 1 ? { list: emptyHome(), items: [], page: 1, pages: 1 } : null;
    return { value, consistent: out.consistent, rowsRead: out.rowsRead };
  }
  const list = toListRow(raw);
  const pages = Math.max(1, Math.ceil(list.count / perPage));
  const items = ((out.results[1]?.results ?? []) as { summary: string }[]).map((r) => parseItem(r.summary)).filter((i): i is ListItem => i !== null);
  const value = page > pages ? null : { list, items, page, pages };
  return { value, consistent: out.consistent, rowsRead: out.rowsRead };
}

function emptyHome(): ListRow {
  return { key: HOME, kind: 'home', name: '', parent: null, trail: [], count: 0, first: 1 };
}

/** Every list of one kind (the category tree, the tag cloud, the archive years/months), by key. */
export async function readLists(db: D1Database, kinds: ('cat' | 'tag' | 'year' | 'month')[], expectedVersion: string | null): Promise<D1Read<ListRow[]>> {
  const out = await consistentBatch(db, expectedVersion, (s) =>
    // A key range per kind: `cat:` … `cat;` (';' follows ':'), read from the primary key.
    kinds.map((kind) => s.prepare(`SELECT ${LIST_COLUMNS} FROM lists WHERE key >= ? AND key < ? ORDER BY key`).bind(`${kind}:`, `${kind};`)),
  );
  const value = out.results.flatMap((r) => ((r.results ?? []) as ListRowRaw[]).map(toListRow));
  return { value, consistent: out.consistent, rowsRead: out.rowsRead };
}

/** Home-list items at positions lo…hi (oldest first): sitemap shards. */
export async function readHomeRange(db: D1Database, lo: number, hi: number, expectedVersion: string | null): Promise<D1Read<ListItem[]>> {
  const out = await consistentBatch(db, expectedVersion, (s) => [
    s.prepare('SELECT summary FROM entries WHERE list = ? AND pos BETWEEN ? AND ? ORDER BY pos').bind(HOME, lo, hi),
  ]);
  const value = ((out.results[0]?.results ?? []) as { summary: string }[]).map((r) => parseItem(r.summary)).filter((i): i is ListItem => i !== null);
  return { value, consistent: out.consistent, rowsRead: out.rowsRead };
}

/** The number of articles (home list count). */
export async function readTotal(db: D1Database, expectedVersion: string | null): Promise<D1Read<number>> {
  const out = await consistentBatch(db, expectedVersion, (s) => [s.prepare('SELECT count FROM lists WHERE key = ?').bind(HOME)]);
  const count = (out.results[0]?.results?.[0] as { count?: number } | undefined)?.count ?? 0;
  return { value: count, consistent: out.consistent, rowsRead: out.rowsRead };
}

/**
 * A D1 session for a query module that builds its own batches (src/search/sql.ts): each batch also
 * reads the index version, so the caller learns whether what it read belongs to `expected` (not
 * cached otherwise) without another round trip.
 */
export function versionCheckedDb(db: D1Database, expected: string | null) {
  const session: D1Database | D1DatabaseSession = typeof db.withSession === 'function' ? db.withSession('first-unconstrained') : db;
  let consistent = true;
  return {
    db: {
      prepare: (sql: string) => session.prepare(sql),
      async batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]> {
        const results = await session.batch<T>([session.prepare(VERSION_SQL), ...statements]);
        const version = (results[0]?.results?.[0] as { value?: string } | undefined)?.value ?? null;
        if (expected !== null && version !== expected) consistent = false;
        return results.slice(1);
      },
    },
    consistent: () => consistent,
  };
}

/** Home-list items with their stored search text, newest first, at positions lo…hi (search.xml). */
export async function readHomeTexts(db: D1Database, lo: number, hi: number, expectedVersion: string | null): Promise<D1Read<{ item: ListItem; text: string; tags: string[] }[]>> {
  const out = await consistentBatch(db, expectedVersion, (s) => [
    s
      .prepare(
        'SELECT e.summary AS summary, a.tags AS tags, t.body AS text FROM entries e JOIN articles a ON a.slug = e.slug ' +
          'LEFT JOIN search_text t ON t.article_id = a.id WHERE e.list = ? AND e.pos BETWEEN ? AND ? ORDER BY e.pos DESC',
      )
      .bind(HOME, lo, hi),
  ]);
  const value = ((out.results[0]?.results ?? []) as { summary: string; tags: string; text: string | null }[]).flatMap((r) => {
    const item = parseItem(r.summary);
    if (item === null) return [];
    let tags: string[] = [];
    try {
      const parsed = JSON.parse(r.tags) as unknown;
      if (Array.isArray(parsed)) tags = parsed.filter((t): t is string => typeof t === 'string');
    } catch {
      // no tags
    }
    return [{ item, text: r.text ?? '', tags }];
  });
  return { value, consistent: out.consistent, rowsRead: out.rowsRead };
}
