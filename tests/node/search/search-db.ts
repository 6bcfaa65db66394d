/**
 * A real D1 database (Miniflare's, in workerd) with the search schema and a stand-in for the
 * lead's `articles` table (only the columns the search query reads), plus a brute-force oracle
 * that answers a parsed query from the tokens alone, independently of FTS5.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Miniflare } from 'miniflare';
import { parsePost } from '../../../src/content/front-matter';
import { htmlToSearchText } from '../../../src/search/html-text';
import { SEARCH_SCHEMA, type SearchDb, type SearchDbResult, type SearchDbStatement, searchDeleteStatements, searchIndexStatements } from '../../../src/search/sql';
import { indexTokens, queryTermTokens } from '../../../src/search/tokenize';

export const ARTICLES_TABLE = 'CREATE TABLE articles (id INTEGER PRIMARY KEY, slug TEXT UNIQUE NOT NULL, date TEXT, title TEXT NOT NULL, summary TEXT)';

export interface TestArticle {
  id: number;
  slug: string;
  title: string;
  date: string | null;
  text: string;
}

export function fixtureArticles(): TestArticle[] {
  const dir = path.resolve(import.meta.dirname, '../../fixtures');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((file, i) => {
      const { article } = parsePost(file, readFileSync(path.join(dir, file), 'utf8'), { timeZone: 'UTC' });
      return { id: i + 1, slug: article.slug, title: article.title, date: article.date, text: htmlToSearchText(article.body) };
    });
}

/**
 * D1 through an async HTTP hop into workerd (a tiny Worker that runs the statements as one D1
 * batch), rather than Miniflare's Node proxy for the binding: that proxy's `prepare()` is a
 * synchronous cross-thread call which, on a loaded machine, can fail an internal assertion and
 * break every later call. The SQL runs in the same D1 (SQLite) either way.
 */
const D1_WORKER = `export default {
  async fetch(request, env) {
    const { statements } = await request.json();
    try {
      const results = await env.DB.batch(statements.map((s) => env.DB.prepare(s.sql).bind(...s.params)));
      return Response.json(results.map((r) => ({ results: r.results, meta: r.meta })));
    } catch (e) {
      return Response.json({ error: String(e) }, { status: 500 });
    }
  },
};`;

class RemoteStatement implements SearchDbStatement {
  constructor(
    readonly sql: string,
    readonly params: readonly unknown[] = [],
  ) {}
  bind(...values: unknown[]): RemoteStatement {
    return new RemoteStatement(this.sql, values);
  }
}

export class RemoteD1 implements SearchDb {
  constructor(private readonly mf: Miniflare) {}

  prepare(sql: string): RemoteStatement {
    return new RemoteStatement(sql);
  }

  async batch<T = unknown>(statements: SearchDbStatement[]): Promise<SearchDbResult<T>[]> {
    const body = JSON.stringify({ statements: statements.map((s) => ({ sql: (s as RemoteStatement).sql, params: (s as RemoteStatement).params })) });
    const res = await this.mf.dispatchFetch('http://d1/', { method: 'POST', body });
    const json = (await res.json()) as SearchDbResult<T>[] | { error: string };
    if ('error' in json) throw new Error(json.error);
    return json;
  }

  /** Rows of one statement. */
  async all<T>(sql: string, ...params: unknown[]): Promise<T[]> {
    const [result] = await this.batch<T>([this.prepare(sql).bind(...params)]);
    return result?.results ?? [];
  }
}

export interface SearchTestDb {
  mf: Miniflare;
  db: RemoteD1;
  dispose(): Promise<void>;
}

export async function openSearchDb(): Promise<SearchTestDb> {
  const mf = new Miniflare({ modules: true, script: D1_WORKER, d1Databases: { DB: 'search-test' } });
  const db = new RemoteD1(mf);
  for (const statement of [ARTICLES_TABLE, ...SEARCH_SCHEMA]) await db.batch([db.prepare(statement)]);
  return { mf, db, dispose: () => mf.dispose() };
}

/** Writes (or rewrites) an article row and its search entry in one batch, as the upload would. */
export async function putArticle(db: RemoteD1, a: TestArticle): Promise<void> {
  await db.batch([
    db.prepare('INSERT INTO articles (id, slug, date, title) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE SET slug = ?2, date = ?3, title = ?4').bind(a.id, a.slug, a.date, a.title),
    ...searchIndexStatements(db, { articleId: a.id, title: a.title, date: a.date, text: a.text }, { title: indexTokens(a.title), body: indexTokens(a.text) }),
  ]);
}

export async function deleteArticle(db: RemoteD1, id: number): Promise<void> {
  await db.batch([...searchDeleteStatements(db, id), db.prepare('DELETE FROM articles WHERE id = ?1').bind(id)]);
}

/** True when `tokens` (a phrase; the last one a prefix if `prefix`) occurs in `have`. */
function hasPhrase(have: readonly string[], tokens: readonly string[], prefix: boolean): boolean {
  for (let i = 0; i + tokens.length <= have.length; i++) {
    if (tokens.every((t, j) => (j === tokens.length - 1 && prefix ? (have[i + j] as string).startsWith(t) : have[i + j] === t))) return true;
  }
  return false;
}

/** Slugs of the articles that contain every term (in the title or the body), by brute force. */
export function oracle(articles: readonly TestArticle[], terms: readonly string[]): Set<string> {
  const phrases = terms.map((t) => queryTermTokens(t)).filter((p) => p.tokens.length > 0);
  const out = new Set<string>();
  if (phrases.length === 0) return out;
  for (const a of articles) {
    const title = indexTokens(a.title).split(' ');
    const body = indexTokens(a.text).split(' ');
    if (phrases.every((p) => hasPhrase(title, p.tokens, p.prefix) || hasPhrase(body, p.tokens, p.prefix))) out.add(a.slug);
  }
  return out;
}
