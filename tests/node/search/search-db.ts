/**
 * A real D1 database (Miniflare's, in workerd) with the search schema and a stand-in for the
 * lead's `articles` table (only the columns the search query reads), plus a brute-force oracle
 * that answers a parsed query from the tokens alone, independently of FTS5.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { D1Database, D1PreparedStatement } from '@cloudflare/workers-types/experimental';
import { Miniflare } from 'miniflare';
import { parsePost } from '../../../src/content/front-matter';
import { htmlToSearchText } from '../../../src/search/html-text';
import { SEARCH_SCHEMA, searchDeleteStatements, searchIndexStatements } from '../../../src/search/sql';
import { indexTokens, queryTermTokens } from '../../../src/search/tokenize';

export const ARTICLES_TABLE = 'CREATE TABLE articles (id INTEGER PRIMARY KEY, slug TEXT UNIQUE NOT NULL, date TEXT, title TEXT NOT NULL)';

export interface TestArticle {
  id: number;
  slug: string;
  title: string;
  date: string | null;
  text: string;
}

export function fixtureArticles(): TestArticle[] {
  const dir = path.resolve(__dirname, '../../fixtures');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((file, i) => {
      const { article } = parsePost(file, readFileSync(path.join(dir, file), 'utf8'), { timeZone: 'UTC' });
      return { id: i + 1, slug: article.slug, title: article.title, date: article.date, text: htmlToSearchText(article.body) };
    });
}

export interface SearchTestDb {
  mf: Miniflare;
  db: D1Database;
  dispose(): Promise<void>;
}

export async function openSearchDb(): Promise<SearchTestDb> {
  const mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response(null, { status: 404 }); } };', d1Databases: { DB: 'search-test' } });
  const db = (await mf.getD1Database('DB')) as unknown as D1Database;
  await db.prepare(ARTICLES_TABLE).run();
  for (const statement of SEARCH_SCHEMA) await db.prepare(statement).run();
  return { mf, db, dispose: () => mf.dispose() };
}

/** Writes (or rewrites) an article row and its search entry in one batch, as the upload would. */
export async function putArticle(db: D1Database, a: TestArticle): Promise<void> {
  await db.batch([
    db.prepare('INSERT INTO articles (id, slug, date, title) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE SET slug = ?2, date = ?3, title = ?4').bind(a.id, a.slug, a.date, a.title),
    ...(searchIndexStatements(db, { articleId: a.id, title: a.title, date: a.date, text: a.text }, { title: indexTokens(a.title), body: indexTokens(a.text) }) as D1PreparedStatement[]),
  ]);
}

export async function deleteArticle(db: D1Database, id: number): Promise<void> {
  await db.batch([...(searchDeleteStatements(db, id) as D1PreparedStatement[]), db.prepare('DELETE FROM articles WHERE id = ?1').bind(id)]);
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
